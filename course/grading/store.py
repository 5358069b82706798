"""Per-submission state that makes grading resumable and idempotent (the
gradebook and autograded/ are written by :mod:`.autograded`)."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path


GRADER_VERSION = "2"  # 2: autograded notebooks and timestamps as nbgrader autograde writes them


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class StateStore:
    """``autograder/.grade_state/<learner>/<chapter>.json``: the result of the
    last grading of a submission, with the checksums it was computed from."""

    def __init__(self, autograder: Path):
        self.dir = Path(autograder) / ".grade_state"

    def path(self, learner: str, chapter: str) -> Path:
        return self.dir / learner / f"{chapter}.json"

    def fingerprint(self, submission: Path, source: Path, limits) -> str:
        h = hashlib.sha256()
        for part in (sha256_file(submission), sha256_file(source), GRADER_VERSION, repr(limits)):
            h.update(part.encode())
        return h.hexdigest()

    def load(self, learner: str, chapter: str) -> dict | None:
        p = self.path(learner, chapter)
        if not p.is_file():
            return None
        try:
            return json.loads(p.read_text())
        except json.JSONDecodeError:
            return None  # a torn write from a killed run: grade again

    def save(self, learner: str, chapter: str, state: dict) -> None:
        p = self.path(learner, chapter)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f".{p.name}.tmp")
        tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
        tmp.replace(p)

    def all(self) -> list[dict]:
        out = []
        for p in sorted(self.dir.glob("*/*.json")):
            try:
                out.append(json.loads(p.read_text()))
            except json.JSONDecodeError:
                pass
        return out


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")
