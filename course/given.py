"""Given code is the key: a cell that gives learners a piece built in an
earlier chapter (a ``Dense`` layer, a loss, an update rule) is generated from
that chapter's answer key and must stay identical to it.

Such a cell carries ``metadata.course.given_from = ["04_backprop:Dense", …]``:
each entry names a chapter folder and a cell there (its nbgrader ``grade_id``
or its cell ``id``). Its source is one comment line saying where the code
comes from, then the named cells' sources with nbgrader's solution markers
removed, joined by two blank lines. ``tools/sync_given.py`` writes them; a CI
gate fails when one differs.
"""

from __future__ import annotations

from pathlib import Path

from .nbmeta import grade_id, read_notebook
from .paths import CourseError

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if line.strip() not in MARKERS)


def find_cell(root: Path, ref: str):
    try:
        chapter, cell_id = ref.split(":", 1)
    except ValueError:
        raise CourseError(f"given_from entry {ref!r}: expected CHAPTER:CELL, e.g. 04_backprop:Dense") from None
    path = Path(root) / "solutions" / chapter / f"{chapter}.ipynb"
    nb = read_notebook(path)
    for cell in nb.cells:
        if grade_id(cell) == cell_id or cell.get("id") == cell_id:
            return cell
    raise CourseError(f"given_from entry {ref!r}: no cell with grade_id or id {cell_id!r} in {path}")


def header(refs: list[str]) -> str:
    chapters = sorted({r.split(":", 1)[0] for r in refs})
    names = ", ".join(r.split(":", 1)[1] for r in refs)
    return f"# Given (identical to the answer key of {', '.join(chapters)}): {names}"


def given_source(root: Path, refs: list[str]) -> str:
    bodies = [strip_markers(find_cell(root, r).source).strip("\n") for r in refs]
    return header(refs) + "\n" + "\n\n\n".join(bodies)


def given_cells(nb):
    """(index, refs) for every given cell of a notebook."""
    for i, cell in enumerate(nb.cells):
        refs = cell.get("metadata", {}).get("course", {}).get("given_from")
        if refs:
            yield i, list(refs)


def stale_given_cells(root: Path, notebook: Path) -> list[str]:
    """One line per given cell of *notebook* whose source is not what its
    ``given_from`` entries generate (or whose entries do not resolve)."""
    nb = read_notebook(notebook)
    problems = []
    for index, refs in given_cells(nb):
        try:
            want = given_source(root, refs)
        except CourseError as exc:
            problems.append(f"cell {index}: {exc}")
            continue
        if nb.cells[index].source != want:
            got, exp = nb.cells[index].source.splitlines(), want.splitlines()
            first = next((k for k, (a, b) in enumerate(zip(got, exp)) if a != b), min(len(got), len(exp)))
            problems.append(f"cell {index} ({', '.join(refs)}) differs from the key at line {first + 1}")
    return problems
