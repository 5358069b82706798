"""The "given code is the key" gate can fail: on a tiny course whose chapter 2
gives chapter 1's answer, a given cell that differs from the key is reported,
and tools/sync_given.py's rewrite makes it pass again."""

from pathlib import Path

import nbformat
import pytest

from course.given import given_source, stale_given_cells, strip_markers
from course.paths import CourseError


def _chapter(root: Path, name: str, cells) -> Path:
    path = root / "solutions" / name / f"{name}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), str(path))
    return path


@pytest.fixture
def tiny(tmp_path):
    key = nbformat.v4.new_code_cell(
        "class Dense:\n    def forward(self, x):\n        ### BEGIN SOLUTION\n        return x @ self.kernel\n        ### END SOLUTION\n",
        metadata={"nbgrader": {"grade_id": "Dense", "solution": True, "grade": False, "locked": False, "schema_version": 3, "task": False}},
    )
    relu = nbformat.v4.new_code_cell("class ReLU:\n    pass")
    relu.id = "ReLU"
    _chapter(tmp_path, "01_first", [key, relu])
    given = nbformat.v4.new_code_cell("", metadata={"course": {"given_from": ["01_first:Dense", "01_first:ReLU"]}})
    later = _chapter(tmp_path, "02_second", [given])
    return tmp_path, later


def test_given_cell_equal_to_key_passes(tiny):
    root, later = tiny
    nb = nbformat.read(str(later), as_version=4)
    nb.cells[0].source = given_source(root, ["01_first:Dense", "01_first:ReLU"])
    nbformat.write(nb, str(later))
    assert stale_given_cells(root, later) == []
    assert "BEGIN SOLUTION" not in nb.cells[0].source and "return x @ self.kernel" in nb.cells[0].source
    assert nb.cells[0].source.splitlines()[0].startswith("# Given (identical to the answer key of 01_first)")


def test_given_cell_that_drifts_fails_the_gate(tiny):
    root, later = tiny
    nb = nbformat.read(str(later), as_version=4)
    nb.cells[0].source = given_source(root, ["01_first:Dense", "01_first:ReLU"]).replace("x @ self.kernel", "self.kernel @ x")
    nbformat.write(nb, str(later))
    stale = stale_given_cells(root, later)
    assert len(stale) == 1 and "differs from the key at line 4" in stale[0]


def test_unknown_reference_is_reported(tiny):
    root, later = tiny
    nb = nbformat.read(str(later), as_version=4)
    nb.cells[0].metadata["course"]["given_from"] = ["01_first:Conv2D"]
    nbformat.write(nb, str(later))
    (problem,) = stale_given_cells(root, later)
    assert "no cell with grade_id or id 'Conv2D'" in problem
    with pytest.raises(CourseError):
        given_source(root, ["nonsense"])


def test_strip_markers_keeps_the_code():
    assert strip_markers("a\n    ### BEGIN SOLUTION\n    b\n    ### END SOLUTION\nc") == "a\n    b\nc"
