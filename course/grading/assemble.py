"""Build the notebook that is actually run for a submission.

Everything but the learner's answers comes from the trusted source notebook
(``solutions/``): markdown, the setup cell, demo cells and every graded test
cell with its hidden tests. From the submission only the answer cells
(nbgrader ``solution`` cells, matched by ``grade_id``) and cells the learner
added or changed are taken (a demo cell left exactly as released runs once,
from the source, not a second time as an added cell). So a deleted, edited or duplicated graded cell cannot change
what is tested, and one duplicated ``grade_id`` never aborts anything (plain
nbgrader aborts the whole run on one).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import nbformat

from .. import nbmeta


@dataclass
class Assembled:
    nb: nbformat.NotebookNode
    notes: list[str] = field(default_factory=list)
    answered: int = 0  # answer cells found in the submission


def assemble(source, submission) -> Assembled:
    notes: list[str] = []
    src_cells = source.cells
    known = {nbmeta.grade_id(c): c for c in src_cells if nbmeta.grade_id(c)}
    answers: dict[str, object] = {}
    extras: dict[str | None, list] = {}
    anchor = None
    seen: set[str] = set()
    deleted_tests = set(gid for gid, c in known.items() if nbmeta.is_graded_test(c))
    edited_tests = []
    # cells the learner left exactly as released are not "added" cells: they
    # are already in the assembled notebook once, from the trusted source
    given_sources = {_norm(c.source) for c in src_cells if c.cell_type == "code" and not nbmeta.grade_id(c)}
    for cell in submission.get("cells", []):
        gid = nbmeta.grade_id(cell)
        if gid in known:
            if gid in seen:
                notes.append(f"duplicated graded cell '{gid}' ignored (the first copy is graded)")
                continue
            seen.add(gid)
            anchor = gid
            src = known[gid]
            if nbmeta.is_solution(src) and src.cell_type == "code":
                answers[gid] = cell
            elif nbmeta.is_graded_test(src):
                deleted_tests.discard(gid)
                if _norm(cell.get("source", "")) != _norm(_visible(src.source)):
                    edited_tests.append(gid)
            continue
        if cell.get("cell_type") == "code" and cell.get("source", "").strip():
            if _norm(cell["source"]) in given_sources:
                continue  # the source's own cell (a demo the learner left as released): it runs once, from the source
            extra = nbformat.v4.new_code_cell(cell["source"])
            extras.setdefault(anchor, []).append(extra)
    for gid in sorted(deleted_tests):
        notes.append(f"graded cell '{gid}' was deleted; the original was restored")
    for gid in edited_tests:
        notes.append(f"graded cell '{gid}' was edited; the original was restored")
    missing = [gid for gid, c in known.items() if nbmeta.is_solution(c) and c.cell_type == "code" and gid not in answers]
    for gid in missing:
        notes.append(f"answer cell '{gid}' is missing")

    cells = []
    setup_done = False
    for cell in src_cells:
        gid = nbmeta.grade_id(cell)
        if gid in answers:
            new = copy.deepcopy(cell)
            new.source = answers[gid].get("source", "")
            cells.append(new)
        elif gid and nbmeta.is_solution(cell) and cell.cell_type == "code":
            new = copy.deepcopy(cell)
            new.source = "raise NotImplementedError('no answer was submitted for this exercise')"
            cells.append(new)
        else:
            cells.append(copy.deepcopy(cell))
        is_setup = cell.cell_type == "code" and not setup_done
        if is_setup:
            setup_done = True
            cells.extend(extras.pop(None, []))  # cells added before any known cell run after setup
        if gid in extras:
            cells.extend(extras.pop(gid))
    for rest in extras.values():
        cells.extend(rest)
    for c in cells:
        if c.cell_type == "code":
            c.outputs = []
            c.execution_count = None
    nb = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(source.metadata))
    return Assembled(nb, notes, answered=len(answers))


def _visible(source: str) -> str:
    """The learner-visible part of a test cell (hidden tests removed), as nbgrader releases it."""
    out, hidden = [], False
    for line in source.splitlines():
        if "### BEGIN HIDDEN TESTS" in line:
            hidden = True
            continue
        if "### END HIDDEN TESTS" in line:
            hidden = False
            continue
        if not hidden:
            out.append(line)
    return "\n".join(out)


def _norm(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines() if line.strip())
