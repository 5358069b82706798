"""Import submissions from a folder or an LMS zip into nbgrader's
``submitted/<learner>/<chapter>/<chapter>.ipynb`` layout.

Every file gets a verdict; a bad one (not a notebook, corrupt JSON, no known
chapter, unknown learner, duplicate) is reported with its reason and never
stops the others. The source files are only read.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import time
import zipfile
from datetime import datetime, timezone
from dataclasses import dataclass
from pathlib import Path

from ..paths import Chapter, CourseError, find_chapter

# LMS downloads look like "alice_01_neuron.ipynb", "alice - 01_neuron (1).ipynb",
# "bob_12345_67890_01_neuron.ipynb" (Canvas adds numeric ids). Configurable.
DEFAULT_PATTERN = r"^(?P<learner>[A-Za-z0-9.@+-]+?)(?:[ _-]+\d+)*[ _-]+(?P<chapter>\d{1,2}(?:_[A-Za-z0-9_]+)?|[A-Za-z]+)(?:\s*\(\d+\))?(?:-\d+)?\.ipynb$"


@dataclass
class Item:
    name: str  # as found (path inside the zip or folder)
    data: bytes
    learner: str | None = None
    chapter: str | None = None
    status: str = ""  # "imported", "unchanged", "rejected"
    reason: str = ""
    mtime: float | None = None  # when the file was last saved, as the folder or zip records it


def _read_source(src: Path) -> list[Item]:
    if not src.exists():
        raise CourseError(f"{src}: no such file or folder")
    items = []
    if src.is_dir():
        for path in sorted(p for p in src.rglob("*") if p.is_file()):
            if "__MACOSX" in path.parts or path.name.startswith("."):
                continue
            items.append(Item(path.relative_to(src).as_posix(), path.read_bytes(), mtime=path.stat().st_mtime))
    elif zipfile.is_zipfile(src):
        with zipfile.ZipFile(src) as zf:
            for info in sorted(zf.infolist(), key=lambda i: i.filename):
                if info.is_dir() or "__MACOSX" in info.filename or Path(info.filename).name.startswith("."):
                    continue
                # zip entries keep local wall-clock time, without a time zone
                items.append(Item(info.filename, zf.read(info), mtime=time.mktime((*info.date_time, 0, 0, -1))))
    else:
        raise CourseError(f"{src}: not a folder or a zip file")
    return items


def load_roster(path: Path | None) -> dict[str, dict]:
    """A CSV with an ``id`` column (and optionally first_name, last_name, email)."""
    if path is None:
        return {}
    if not Path(path).is_file():
        raise CourseError(f"{path}: no such roster file")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "id" not in reader.fieldnames:
            raise CourseError(f"{path}: the roster needs an 'id' column")
        return {row["id"].strip(): row for row in reader if row.get("id", "").strip()}


def import_submissions(src: Path, autograder: Path, chapters: list[Chapter], roster: dict[str, dict],
                       pattern: str = DEFAULT_PATTERN) -> list[Item]:
    regex = re.compile(pattern)
    items = _read_source(Path(src))
    root = chapters[0].root if chapters else None
    claimed: dict[tuple[str, str], Item] = {}
    for item in items:
        base = Path(item.name).name
        if not base.endswith(".ipynb"):
            item.status, item.reason = "rejected", "not a notebook (.ipynb)"
            continue
        try:
            nb = json.loads(item.data.decode("utf-8"))
            if not isinstance(nb, dict) or "cells" not in nb:
                raise ValueError("no cells")
        except (UnicodeDecodeError, ValueError) as exc:
            item.status, item.reason = "rejected", f"corrupt notebook ({type(exc).__name__})"
            continue
        m = regex.match(base)
        if not m:
            item.status, item.reason = "rejected", "file name names no learner and chapter (see --pattern)"
            continue
        learner, chapter_spec = m.group("learner"), m.group("chapter")
        try:
            chapter = find_chapter(chapter_spec, root)
        except CourseError:
            item.status, item.reason = "rejected", f"names no known chapter ({chapter_spec!r})"
            continue
        if chapters and chapter not in chapters:
            item.status, item.reason = "rejected", f"chapter {chapter.name} is not being imported"
            continue
        if roster and learner not in roster:
            item.status, item.reason = "rejected", f"learner {learner!r} is not on the roster"
            continue
        item.learner, item.chapter = learner, chapter.name
        key = (learner, chapter.name)
        if key in claimed:
            first = claimed[key]
            same = hashlib.sha256(first.data).digest() == hashlib.sha256(item.data).digest()
            item.status = "rejected"
            item.reason = f"duplicate of {first.name}" + (" (identical)" if same else " (different content; the first one is kept)")
            continue
        claimed[key] = item
        dest = autograder / "submitted" / learner / chapter.name / f"{chapter.name}.ipynb"
        if dest.is_file() and dest.read_bytes() == item.data:
            item.status, item.reason = "unchanged", "already imported"
            _write_timestamp(dest.parent, item.mtime, keep=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.tmp")
        tmp.write_bytes(item.data)
        tmp.replace(dest)
        _write_timestamp(dest.parent, item.mtime)
        item.status = "imported"
        expected = f"{learner}_{chapter.name}.ipynb"
        item.reason = f"unusual file name, imported as {learner}/{chapter.name}" if base != expected else ""
    return items


TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's (CourseDirectory.timestamp_format)


def _write_timestamp(folder: Path, mtime: float | None, keep: bool = False) -> None:
    """``timestamp.txt`` beside the submission, as nbgrader's collect writes
    it: the submission's time (the file's modification time in the folder or
    zip, which LMS downloads set to the submission time), in UTC. nbgrader
    autograde records it in the gradebook, the formgrader shows it and late
    penalties use it."""
    path = Path(folder) / "timestamp.txt"
    if mtime is None or (keep and path.is_file()):
        return
    text = datetime.fromtimestamp(mtime, timezone.utc).strftime(TIMESTAMP_FORMAT) + "\n"
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
