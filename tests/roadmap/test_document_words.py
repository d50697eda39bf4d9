"""The roadmap's words in the documents' languages: reasons, horizons and drafted claims."""

from __future__ import annotations

from detente.roadmap.document_words import HORIZONS, REASONS
from detente.roadmap.sequence import HORIZON_WORDS
from detente.roadmap.sequence import REASONS as RECORDED_REASONS


def test_translated_vocabularies_follow_the_roadmaps() -> None:
    assert set(REASONS) == set(RECORDED_REASONS)
    assert REASONS == RECORDED_REASONS  # the msgids are the recorded English sentences
    assert HORIZONS == HORIZON_WORDS
