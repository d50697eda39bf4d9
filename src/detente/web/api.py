"""The live app's plugin API: everything a plugin (a built-in domain or a third-party package) may
use from :mod:`detente.web`, as a Datasette plugin imports Datasette's hook API.

A domain adds to the live app through the hooks (:mod:`detente.hooks`): forms for its requests
(:func:`seat_form`, :func:`decision_form_for`), feed lines for its event kinds
(:func:`describes`), panel builders, template functions and routes. The modules that do import
from :mod:`detente.web` only this module; the rest of the package is the host's own and may change
without notice (``tests/test_layering.py`` checks both).
"""

from __future__ import annotations

from detente.web.acts import RESOLUTIONS, ActRefused
from detente.web.acts import _parse as parse_answer
from detente.web.codec import encode_answer
from detente.web.common import (
    Builder,
    LiveApp,
    Who,
    check_csrf,
    deadline_now,
    in_thread,
    live,
    render,
    require,
)
from detente.web.forms import (
    Fields,
    Form,
    FormError,
    decision_form_for,
    field,
    rebuild_request,
    seat_form,
    seat_form_named,
)
from detente.web.i18n import localize
from detente.web.livelog import LiveLog, Snapshot
from detente.web.viewed import board_status, viewed_keys
from detente.web.views import (
    Message,
    PendingRequest,
    Viewer,
    describes,
    seat_requests,
    visible_entries,
)

__all__ = [
    "RESOLUTIONS",
    "ActRefused",
    "Builder",
    "Fields",
    "Form",
    "FormError",
    "LiveApp",
    "LiveLog",
    "Message",
    "PendingRequest",
    "Snapshot",
    "Viewer",
    "Who",
    "board_status",
    "check_csrf",
    "deadline_now",
    "decision_form_for",
    "describes",
    "encode_answer",
    "field",
    "in_thread",
    "live",
    "localize",
    "parse_answer",
    "rebuild_request",
    "render",
    "require",
    "seat_form",
    "seat_form_named",
    "seat_requests",
    "viewed_keys",
    "visible_entries",
]
