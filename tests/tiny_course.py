"""A tiny synthetic course (no TensorFlow, a second per kernel) for the
browser and grading tests: one chapter with an equation, three exercises
(visible and hidden tests), and a class of three learners — one complete,
one blank, one with a wrong answer and an exercise left open."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbtext  # noqa: E402

CHAPTER = "01_tiny"
TEXT = r'''%%% md
# Chapter 1 — Tiny

A neuron computes $z = \mathbf{w}\cdot\mathbf{x} + b$ and squashes it with

$$\sigma(z) = \frac{1}{1 + e^{-z}}.$$

%%% locked id=setup
import numpy as np
from course import checks

%%% md
### Exercise 1.1 — double (1 points)

%%% solution id=double
def double(x):
    """Twice x."""
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION

%%% test id=test_double points=1
checks.assert_close(double(np.array([1.0, 2.0])), [2.0, 4.0], name="double(x)")
### BEGIN HIDDEN TESTS
checks.assert_close(double(np.array([-3.0])), [-6.0], name="double(x)")
### END HIDDEN TESTS

%%% md
### Exercise 1.2 — square (1 points)

%%% solution id=square
def square(x):
    """x squared, elementwise."""
    ### BEGIN SOLUTION
    return x * x
    ### END SOLUTION

%%% test id=test_square points=1
checks.assert_close(square(np.array([1.0, 3.0])), [1.0, 9.0], name="square(x)")

%%% md
### Exercise 1.3 — half (1 points)

%%% solution id=half
def half(x):
    """Half of x."""
    ### BEGIN SOLUTION
    return x / 2
    ### END SOLUTION

%%% test id=test_half points=1
checks.assert_close(half(np.array([2.0])), [1.0], name="half(x)")
'''

ANSWERS = {
    "double": "def double(x):\n    return 2 * x\n",
    "square": "def square(x):\n    return x * x\n",
    "half": "def half(x):\n    return x / 2\n",
}
WRONG_SQUARE = "def square(x):\n    return x * 2\n"
# learner: (answers, expected score, expected per-test points)
CLASS = {
    "alice": (dict(ANSWERS), 3.0),
    "bob": ({}, 0.0),
    "carol": ({"double": ANSWERS["double"], "square": WRONG_SQUARE}, 1.0),
}


def course_env(root: Path, **extra: str) -> dict:
    return dict(os.environ, COURSE_ROOT=str(root), **extra)


def course(root: Path, *args: str, timeout: int = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course", *args], env=env or course_env(root),
                          capture_output=True, text=True, timeout=timeout)


def make(dest: Path) -> Path:
    """The tiny course at *dest*, released (notebooks/ and the gradebook)."""
    import nbformat

    (dest / "solutions" / CHAPTER).mkdir(parents=True)
    (dest / "autograder").mkdir()
    shutil.copy(ROOT / "autograder" / "nbgrader_config.py", dest / "autograder")
    (dest / "pyproject.toml").write_text("[project]\nname = 'tiny'\n")
    nbformat.write(nbtext.text_to_notebook(TEXT), dest / "solutions" / CHAPTER / f"{CHAPTER}.ipynb")
    proc = course(dest, "release")
    assert proc.returncode == 0, proc.stderr
    return dest


def write_class(root: Path, folder: Path) -> Path:
    """One notebook per learner of CLASS, as an LMS folder download."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    released = nbformat.read(root / "notebooks" / CHAPTER / f"{CHAPTER}.ipynb", as_version=4)
    for learner, (answers, _) in CLASS.items():
        nb = copy.deepcopy(released)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in answers:
                cell.source = answers[gid]
        nbformat.write(nb, folder / f"{learner}_{CHAPTER}.ipynb")
    return folder


def grade(root: Path, folder: Path) -> subprocess.CompletedProcess:
    """``course grade all`` on *folder* (sandboxed where bubblewrap exists;
    the tiny class is this file's own code otherwise)."""
    sandbox = [] if shutil.which("bwrap") else ["--unsafe-no-sandbox"]
    return course(root, "grade", "all", str(folder), "--workers", "2", *sandbox, timeout=600)
