"""One classification of statements: the per-statement tier rule equals the analysis's, and the
documents and the projector read the same classes."""

from __future__ import annotations

import numpy as np

from detente.deliberation.consensus import TIERS, VoteMatrix, analyse
from detente.deliberation.standing import STANDING, standing, tier_of
from detente.deliberation.web_views import Bar, StatementBars


def test_tier_of_one_statement_equals_the_analysis_on_random_votes() -> None:
    rng = np.random.default_rng(11)
    seen = set()
    for _ in range(300):
        sizes = rng.integers(1, 5, size=rng.integers(2, 5))
        people = [f"{g}-{i}" for g, n in enumerate(sizes) for i in range(n)]
        groups = {p: f"D{p.split('-')[0]}" for p in people}
        statements = [f"s{j}" for j in range(6)]
        values = rng.choice([1, -1, 0], size=(len(people), len(statements)), p=[0.5, 0.3, 0.2])
        voted = rng.random((len(people), len(statements))) > 0.15
        result = analyse(VoteMatrix(people, statements, values.astype(np.int8), voted), groups)
        for sid in statements:
            r = result.statement(sid)
            counts = [(g.agree, g.disagree, g.passes) for g in r.groups]
            assert tier_of(counts) == r.tier, (counts, r.tier)
            seen.add(r.tier)
    assert seen == set(TIERS)


def test_every_tier_has_a_class_and_one_neutral_is_not_common_ground() -> None:
    assert set(STANDING) == set(TIERS)
    assert standing("unanimous") == standing("majority") == "agreed"
    assert standing("one-neutral") == "undecided"
    assert standing("uncertain") == "gap"
    assert standing("no-such-tier") == "insufficient"


def test_the_projector_chart_calls_common_ground_what_the_analysis_does() -> None:
    # 1 of 3 members voted, and agreed: a majority of the voters (the analysis's rule), though
    # not of the members — the chart used to disagree with the report here
    bars = (Bar("A", 1, 0, 0, 3), Bar("B", 3, 0, 0, 3))
    assert StatementBars("s", "text", bars).common
    neutral = (Bar("A", 1, 1, 0, 3), Bar("B", 3, 0, 0, 3))
    assert StatementBars("s", "text", neutral).tier == "one-neutral"
    assert not StatementBars("s", "text", neutral).common
