"""Validate every file in data/ and list all problems: ``python -m secorgs.build.check [DATA_DIR]``."""
import sys
from pathlib import Path

from .. import DATA_DIR, ROOT
from ..schema import TABLES, validate_dir


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data_dir = Path(argv[0]) if argv else DATA_DIR
    frames, problems = validate_dir(data_dir, ROOT / "references.bib")
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    if problems:
        print(f"check-data: {len(problems)} problem(s); fix them before building the book", file=sys.stderr)
        return 1
    rows = ", ".join(f"{t.file} {len(frames[t.name])} rows" for t in TABLES)
    print(f"check-data: all {len(TABLES)} files valid ({rows})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
