"""Where the course lives on disk, and which chapters it has."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

CHAPTER_RE = re.compile(r"^(\d{2})_([a-z0-9_]+)$")


class CourseError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits 1."""


def _looks_like_root(path: Path) -> bool:
    return (path / "solutions").is_dir() and (path / "pyproject.toml").is_file()


def course_root(start: Path | None = None) -> Path:
    """The repository root: $COURSE_ROOT, else the nearest parent of *start*
    (default: the current folder) with ``solutions/`` and ``pyproject.toml``,
    else the checkout this package was installed from (editable install)."""
    env = os.environ.get("COURSE_ROOT")
    if env:
        root = Path(env).resolve()
        if not _looks_like_root(root):
            raise CourseError(f"COURSE_ROOT={env} is not a course checkout (no solutions/ and pyproject.toml)")
        return root
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _looks_like_root(candidate):
            return candidate
    pkg_parent = Path(__file__).resolve().parent.parent
    if _looks_like_root(pkg_parent):
        return pkg_parent
    raise CourseError("not inside the course checkout (no solutions/ folder found); cd into it or set COURSE_ROOT")


@dataclass(frozen=True)
class Chapter:
    """One chapter: ``solutions/NN_name/NN_name.ipynb`` and its learner twin."""

    name: str  # e.g. "01_neuron"
    root: Path

    @property
    def number(self) -> int:
        return int(self.name[:2])

    @property
    def title(self) -> str:
        return self.name[3:].replace("_", " ")

    @property
    def source_dir(self) -> Path:
        return self.root / "solutions" / self.name

    @property
    def release_dir(self) -> Path:
        return self.root / "notebooks" / self.name

    @property
    def source_notebook(self) -> Path:
        return self.source_dir / f"{self.name}.ipynb"

    @property
    def release_notebook(self) -> Path:
        return self.release_dir / f"{self.name}.ipynb"


def chapters(root: Path | None = None) -> list[Chapter]:
    """Every chapter in ``solutions/``, in order."""
    root = root or course_root()
    found = []
    for entry in sorted((root / "solutions").iterdir()):
        if entry.is_dir() and CHAPTER_RE.match(entry.name) and (entry / f"{entry.name}.ipynb").is_file():
            found.append(Chapter(entry.name, root))
    return found


def find_chapter(spec: str, root: Path | None = None) -> Chapter:
    """Resolve a chapter from its folder name ("01_neuron"), number ("1",
    "01") or title word ("neuron"). Raises CourseError naming the choices."""
    known = chapters(root)
    spec_clean = spec.strip().rstrip("/").split("/")[-1].lower()
    for ch in known:
        if spec_clean in (ch.name, ch.name[3:]) or (spec_clean.isdigit() and int(spec_clean) == ch.number):
            return ch
    names = ", ".join(ch.name for ch in known) or "none"
    raise CourseError(f"unknown chapter {spec!r} (known chapters: {names})")


def select_chapters(specs: list[str] | None, root: Path | None = None) -> list[Chapter]:
    """The chapters named by *specs*, or all of them when there are none."""
    if not specs:
        found = chapters(root)
        if not found:
            raise CourseError("no chapters found in solutions/")
        return found
    return [find_chapter(s, root) for s in specs]
