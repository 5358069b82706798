"""The graded notebook runs a demo cell the learner left as released once,
from the trusted source; a cell the learner changed or added runs as well."""

import nbformat

from course.grading.assemble import assemble


def _nb(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def _solution(gid, source):
    meta = {"nbgrader": {"grade_id": gid, "solution": True, "grade": False, "locked": False, "schema_version": 3, "task": False}}
    return nbformat.v4.new_code_cell(source, metadata=meta)


def test_unchanged_demo_cells_run_once_changed_ones_are_added():
    setup = nbformat.v4.new_code_cell("import numpy as np")
    demo = nbformat.v4.new_code_cell("X_big = np.ones((20_000, 10))\nprint(X_big.sum())")
    source = _nb(setup, _solution("f", "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"), demo)
    submission = _nb(
        nbformat.v4.new_code_cell("import numpy as np"),
        _solution("f", "def f():\n    return 2"),
        nbformat.v4.new_code_cell("X_big = np.ones((20_000, 10))\nprint(X_big.sum())  "),  # as released (trailing spaces)
        nbformat.v4.new_code_cell("print('my own experiment')"),
    )
    sources = [c.source for c in assemble(source, submission).nb.cells]
    assert sources.count(demo.source) == 1
    assert sources.count("import numpy as np") == 1
    assert "def f():\n    return 2" in sources
    # an added cell runs right after the answer cell it followed
    assert sources.index("print('my own experiment')") == sources.index("def f():\n    return 2") + 1
