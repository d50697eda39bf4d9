"""Record red-dwarf 0.4.0's groups on small synthetic conversations as a test fixture.

Usage: .venv/bin/python bench/polis_reddwarf_fixture.py [--reddwarf-python PATH]

Writes ``tests/fixtures/polis/reddwarf-0.4.0-synthetic.json``: for each conversation its
votes, moderated-out comments and red-dwarf's ``cluster_id`` per participant. The test suite
(``tests/deliberation/test_polis_fresh.py``) compares our from-scratch grouping with it, so
it needs no red-dwarf. Only conversations small enough for red-dwarf's exact PCA (at most 500
participants and comments; larger ones use randomized SVD) are recorded.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common_ground import DEFAULT_REDDWARF, ROOT, start_reddwarf
from polis_synthetic import suite

OUT = ROOT / "tests" / "fixtures" / "polis" / "reddwarf-0.4.0-synthetic.json"
KEEP = ("s1 ", "s2 ", "s3 ", "s9 ", "s10 ")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reddwarf-python", type=Path, default=DEFAULT_REDDWARF)
    args = ap.parse_args()
    rd, status = start_reddwarf(args.reddwarf_python)
    print(status)
    if rd is None:
        return 1
    out = []
    try:
        for conv in suite():
            if not conv.name.startswith(KEEP):
                continue
            rd.load(conv.votes, conv.mod_out, ())
            _, labels = rd.run()
            out.append(
                {
                    "name": conv.name,
                    "votes": [list(v) for v in conv.votes],
                    "mod_out": sorted(conv.mod_out),
                    "reddwarf": {str(p): g for p, g in sorted(labels.items())},
                }
            )
    finally:
        rd.close()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"reddwarf": rd.version, "conversations": out}) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
