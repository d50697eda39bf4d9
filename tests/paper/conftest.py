"""Fixtures of the paper room's tests: the live app's served meeting (for the console page)."""

from tests.web.conftest import served as served  # a fixture: the harbour meeting, served
