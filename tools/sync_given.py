#!/usr/bin/env python3
"""Rewrite every given cell in solutions/ from the answer keys it names
(``metadata.course.given_from``; see course/given.py), then print what
changed. Run it after changing an earlier chapter's answer, then
`course release`.

    python tools/sync_given.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.given import given_cells, given_source  # noqa: E402
from course.nbmeta import read_notebook  # noqa: E402


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        nb = read_notebook(path)
        changed = False
        for index, refs in given_cells(nb):
            want = given_source(ROOT, refs)
            if nb.cells[index].source != want:
                stale.append(f"{path.relative_to(ROOT)} cell {index} ({', '.join(refs)})")
                nb.cells[index].source = want
                changed = True
        if changed and not check:
            nbformat.write(nb, str(path))
    for line in stale:
        print(("stale: " if check else "rewrote: ") + line)
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
