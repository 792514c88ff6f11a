"""Quality benchmarks in one run: parsing (quality_parse) and, when present, tailoring
(quality_tailor, owned by the tailoring workstream).

Run: .venv/bin/python bench/quality.py [--corpus DIR]
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))


def main() -> None:
    import quality_parse

    print("== parse quality ==")
    quality_parse.main(sys.argv[1:])
    if importlib.util.find_spec("quality_tailor") is not None:
        import quality_tailor

        print("\n== tailoring quality ==")
        sys.argv = sys.argv[:1]  # its own options are not ours
        quality_tailor.main()


if __name__ == "__main__":
    main()
