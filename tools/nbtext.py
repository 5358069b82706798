#!/usr/bin/env python3
"""Edit a course notebook as plain text, and turn it back into the notebook.

    python tools/nbtext.py to-text  solutions/01_neuron/01_neuron.ipynb  ch01.txt
    python tools/nbtext.py to-ipynb ch01.txt  solutions/01_neuron/01_neuron.ipynb

The notebook in ``solutions/`` stays the single source of truth; the text form
is a convenience for editing many cells at once (diffable, greppable). Each
cell starts with a header line

    %%% md                          markdown
    %%% code                        ordinary code cell
    %%% locked id=setup             read-only code cell (nbgrader "locked")
    %%% solution id=weighted_sum    code the learner writes (autograded answer)
    %%% test id=test_x points=2     locked graded test cell

followed by the cell's source. Any header may also carry ``id=NAME`` (a
stable cell id, e.g. for a cell a later chapter copies), ``given=CH:ID,...``
(the cell is given code, generated from those cells of earlier chapters by
``tools/sync_given.py`` and checked by a CI gate), ``slide=TYPE`` (RISE /
reveal.js slide type) and ``tags=a,b``. Outputs are never written.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

HEADER = re.compile(r"^%%% (md|code|locked|solution|test)((?: [a-z_]+=[^ ]+)*)\s*$")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _meta(kind: str, opts: dict) -> dict:
    if kind in ("md", "code"):
        return {}
    gid = opts["id"]
    base = {"grade": False, "grade_id": gid, "locked": False, "schema_version": 3, "solution": False, "task": False}
    if kind == "locked":
        base["locked"] = True
    elif kind == "solution":
        base["solution"] = True
    elif kind == "test":
        base.update(grade=True, locked=True, points=float(opts["points"]) if "." in opts["points"] else int(opts["points"]))
    return {"nbgrader": base}


def text_to_notebook(text: str) -> nbformat.NotebookNode:
    cells = []
    kind = opts = None
    lines: list[str] = []

    def flush():
        if kind is None:
            return
        source = "\n".join(lines).strip("\n")
        meta = _meta(kind, opts)
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(source, metadata=meta)
        else:
            cell = nbformat.v4.new_code_cell(source, metadata=meta)
        cell.id = opts.get("id") or f"cell-{len(cells):03d}"
        if opts.get("given"):
            cell.metadata["course"] = {"given_from": opts["given"].split(",")}
        if opts.get("slide"):
            cell.metadata["slideshow"] = {"slide_type": opts["slide"]}
        if opts.get("tags"):
            cell.metadata["tags"] = opts["tags"].split(",")
        if meta:
            cell.metadata["editable"] = kind in ("solution",) or not meta["nbgrader"]["locked"]
            cell.metadata["deletable"] = cell.metadata["editable"]
        cells.append(cell)

    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            flush()
            kind = m.group(1)
            opts = dict(o.split("=", 1) for o in m.group(2).split())
            lines = []
        elif kind is not None:
            lines.append(line)
    flush()
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python", "version": "3.11"},
    }
    nbformat.validate(nb)
    return nb


def notebook_to_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown":
            head = "%%% md"
        elif meta.get("grade"):
            head = f"%%% test id={meta['grade_id']} points={meta['points']}"
        elif meta.get("solution"):
            head = f"%%% solution id={meta['grade_id']}"
        elif meta.get("locked"):
            head = f"%%% locked id={meta['grade_id']}"
        else:
            head = "%%% code"
        extra = []
        if not meta and cell.get("id") and not re.fullmatch(r"cell-\d+", cell.id):
            extra.append(f"id={cell.id}")
        given = cell.metadata.get("course", {}).get("given_from")
        if given:
            extra.append("given=" + ",".join(given))
        slide = cell.metadata.get("slideshow", {}).get("slide_type")
        if slide:
            extra.append(f"slide={slide}")
        if cell.metadata.get("tags"):
            extra.append("tags=" + ",".join(cell.metadata["tags"]))
        parts.append(" ".join([head, *extra]) + "\n" + cell.source + "\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("to-text", "to-ipynb"):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: nbtext.py to-text NOTEBOOK TEXT | to-ipynb TEXT NOTEBOOK", file=sys.stderr)
        return 2
    mode, src, dst = argv
    if mode == "to-text":
        Path(dst).write_text(notebook_to_text(nbformat.read(src, as_version=4)))
    else:
        nb = text_to_notebook(Path(src).read_text())
        Path(dst).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, dst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
