"""Reading nbgrader cell metadata (schema 3) and notebook files safely."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .paths import CourseError


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook, turning every kind of damage into a one-line CourseError."""
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"{path}: no such notebook")
    try:
        nb = nbformat.read(str(path), as_version=4)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CourseError(f"{path}: not a valid notebook (corrupt JSON: {exc})") from None
    except Exception as exc:  # nbformat raises several types for malformed files
        raise CourseError(f"{path}: not a valid notebook ({type(exc).__name__}: {exc})") from None
    if not isinstance(nb.get("cells"), list):
        raise CourseError(f"{path}: not a valid notebook (no cell list)")
    return nb


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_solution(cell) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_graded_test(cell) -> bool:
    """An autograded test cell: graded, not a solution, code."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def grade_id(cell) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def points(cell) -> float:
    return float(nbgrader_meta(cell).get("points", 0) or 0)


@dataclass
class Exercise:
    """A solution cell and the graded test cells that follow it."""

    solution_index: int
    grade_id: str
    test_indices: list[int]
    test_ids: list[str]
    max_points: float


def exercises(nb) -> list[Exercise]:
    """Pair each code solution cell with the graded test cells after it (up to
    the next solution cell)."""
    result: list[Exercise] = []
    current: Exercise | None = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and is_solution(cell):
            current = Exercise(i, grade_id(cell), [], [], 0.0)
            result.append(current)
        elif is_graded_test(cell) and current is not None:
            current.test_indices.append(i)
            current.test_ids.append(grade_id(cell))
            current.max_points += points(cell)
    return result


def ends_with_expression(source: str) -> bool:
    """True when the last top-level statement of *source* is a bare expression
    that may display a value (nbgrader would read a numeric value there as
    partial credit). Calls to ``print`` and to the ``checks`` helpers, which
    return None, are allowed."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return False
    value = tree.body[-1].value
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Name) and func.id == "print":
            return False
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "checks":
            return False
    return True


EXERCISE_HEADING = re.compile(r"^#+\s*Exercise\s+(\d+)\.(\d+)\s+[—-]+\s+(.+?)\s+\((\d+(?:\.\d+)?)\s+points?\)\s*$", re.M)


def exercise_labels(nb) -> dict[str, tuple[str, str]]:
    """{solution grade_id: ("4.1", "the dense layer")}: the k-th exercise
    heading of the notebook belongs to its k-th solution cell."""
    headings = [m for c in nb.cells if c.cell_type == "markdown" for m in EXERCISE_HEADING.finditer(c.source)]
    return {ex.grade_id: (f"{m.group(1)}.{m.group(2)}", m.group(3)) for ex, m in zip(exercises(nb), headings)}


STUB_LINE = "raise NotImplementedError()"


def label_stubs(nb) -> int:
    """Give every untouched stub (``raise NotImplementedError()``) in a
    learner notebook a message naming its exercise; returns how many."""
    labels = exercise_labels(nb)
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and is_solution(cell) and grade_id(cell) in labels:
            number, title = labels[grade_id(cell)]
            message = f"Exercise {number} ({title}) is not attempted yet: replace this line with your code."
            new = cell.source.replace(STUB_LINE, f"raise NotImplementedError({message!r})")
            count += new != cell.source
            cell.source = new
    return count
