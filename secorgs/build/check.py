"""Validate every file in data/ and list all problems: ``python -m secorgs.build.check [DATA_DIR]``.

Exit status 0 when the data are valid, 1 when there are problems (each printed as ``data/FILE, row N,
column C: what is wrong``), 2 if the checker itself failed (printed in one line, never a traceback).
"""
import sys
from pathlib import Path

from .. import DATA_DATE, DATA_DIR, ROOT
from ..schema import TABLES, validate_dir


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data_dir = Path(argv[0]) if argv else DATA_DIR
    try:
        frames, problems = validate_dir(data_dir, ROOT / "references.bib")
    except Exception as err:  # a bug in the checker: say so in one line rather than a traceback
        print(f"check-data: the checker failed on {data_dir} ({type(err).__name__}: {err}); "
              "please report this with the file that caused it", file=sys.stderr)
        return 2
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    if problems:
        files = len({p.file for p in problems})
        print(f"check-data: {len(problems)} problem(s) in {files} file(s); fix them before building the book",
              file=sys.stderr)
        return 1
    rows = ", ".join(f"{t.file} {len(frames[t.name])} rows" for t in TABLES)
    print(f"check-data: all {len(TABLES)} files valid, no date after the data date {DATA_DATE} ({rows})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
