"""The nbgrader configuration the course uses everywhere: in
``autograder/nbgrader_config.py`` (the instructor's nbgrader), in
``course release`` and in the CI gates, so that all of them generate and grade
the same way."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from traitlets.config import Config

from .paths import CourseError

COURSE_ID = "deep-learning-from-scratch"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
CELL_TIMEOUT = 60  # seconds per cell when nbgrader executes a notebook


def scripts_on_path() -> None:
    """nbgrader's Gradebook runs the `alembic` script from PATH, which only
    finds it inside an activated environment: put this interpreter's scripts
    folder first, so `.venv/bin/course` and `.venv/bin/pytest` work from any
    shell."""
    bindir = str(Path(sys.executable).parent)
    parts = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def configure(c: Config, root: Path, source: str = "../solutions", release: str = "../notebooks", db_url: str | None = None) -> Config:
    """Fill *c* for a course root at *root* (normally ``autograder/``)."""
    scripts_on_path()
    c.CourseDirectory.root = str(Path(root).resolve())
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.source_directory = source
    c.CourseDirectory.release_directory = release
    if db_url:
        c.CourseDirectory.db_url = db_url
    # generated files that must never reach learners or the release folder
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.bak-*"]
    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    c.Execute.timeout = CELL_TIMEOUT
    c.Execute.kernel_name = "python3"
    c.Execute.extra_arguments = []
    # restore graded cells a learner deleted, so a missing test cell scores 0
    c.OverwriteCells.add_missing_cells = True
    return c


def make_config(root: Path, **kwargs) -> Config:
    return configure(Config(), root, **kwargs)


def gradebook_url(root: Path) -> str:
    """The gradebook of the course at *root*: ``c.CourseDirectory.db_url`` from
    ``autograder/nbgrader_config.py`` if the instructor set one (any
    SQLAlchemy URL, e.g. ``postgresql+psycopg://…``), else nbgrader's default,
    the SQLite file ``autograder/gradebook.db``."""
    path = Path(root) / "autograder" / "nbgrader_config.py"
    if path.is_file():
        from traitlets.config.loader import PyFileConfigLoader

        try:
            cfg = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
        except Exception as exc:
            raise CourseError(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from None
        url = cfg.CourseDirectory.get("db_url")
        if isinstance(url, str) and url:
            return url
    return f"sqlite:///{Path(root) / 'autograder' / 'gradebook.db'}"
