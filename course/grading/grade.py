"""Drive a grading run: find submissions, skip the ones already graded,
grade the rest in parallel worker processes, and store every result (the
parent is the gradebook's only writer)."""

from __future__ import annotations

import json
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path

from ..nbgrader_settings import gradebook_url
from ..paths import Chapter, CourseError, chapters as all_chapters
from . import feedback, reports
from .runner import grade_submission
from .sandbox import Limits, bwrap_path
from . import autograded
from .store import StateStore, now


def autograder_dir(root: Path) -> Path:
    return root / "autograder"


def find_submissions(root: Path, chapters: list[Chapter]) -> list[tuple[str, Chapter, Path]]:
    found = []
    submitted = autograder_dir(root) / "submitted"
    for ch in chapters:
        for nb in sorted(submitted.glob(f"*/{ch.name}/{ch.name}.ipynb")):
            found.append((nb.parent.parent.name, ch, nb))
    return found


def _ensure_assignments(root: Path, chapters: list[Chapter], db_url: str, state: StateStore) -> None:
    """nbgrader's generate_assignment records each chapter's graded cells in
    the gradebook; redone only when the source notebook changed."""
    from ..release import generate, sha256

    marker = state.dir / "_sources.json"
    known = json.loads(marker.read_text()) if marker.is_file() else {}
    changed = False
    for ch in chapters:
        digest = sha256(ch.source_notebook)
        if known.get(ch.name) == digest and known.get("_db") == db_url:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            generate(ch, Path(tmp), db_url=db_url)
        known[ch.name] = digest
        changed = True
    if changed:
        known["_db"] = db_url
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps(known, indent=1))


class Progress:
    def __init__(self, total: int, stream=sys.stdout):
        self.total, self.done, self.stream, self.start = total, 0, stream, time.perf_counter()

    def step(self, line: str) -> None:
        self.done += 1
        width = 24
        filled = int(width * self.done / max(self.total, 1))
        elapsed = time.perf_counter() - self.start
        bar = "#" * filled + "-" * (width - filled)
        print(f"[{bar}] {self.done}/{self.total} {elapsed:6.1f} s  {line}", file=self.stream, flush=True)


def run(root: Path, chapters: list[Chapter] | None, workers: int, limits: Limits, sandbox: bool = True,
        force: bool = False, roster: dict | None = None, out=sys.stdout) -> dict:
    if sandbox and not bwrap_path():
        raise CourseError(
            "bubblewrap (bwrap) is not installed, so learner code cannot be sandboxed; refusing to grade. "
            "Install it (apt-get install bubblewrap) or, only for code you trust, pass --unsafe-no-sandbox"
        )
    chapters = chapters or all_chapters(root)
    ag = autograder_dir(root)
    state = StateStore(ag)
    roster = roster if roster is not None else load_saved_roster(ag)
    db_url = gradebook_url(root)
    subs = find_submissions(root, chapters)
    if not subs:
        raise CourseError(f"no submissions in {ag / 'submitted'} (run `course grade import` first)")
    _ensure_assignments(root, sorted({ch for _, ch, _ in subs}, key=lambda c: c.name), db_url, state)
    todo, skipped = [], 0
    for learner, ch, path in subs:
        fp = state.fingerprint(path, ch.source_notebook, limits)
        old = state.load(learner, ch.name)
        if old and old.get("fingerprint") == fp and not force:
            skipped += 1
            continue
        todo.append((learner, ch, path, fp))
    print(f"{len(subs)} submission(s): {len(todo)} to grade, {skipped} unchanged since the last run; "
          f"{workers} worker(s), sandbox {'on' if sandbox else 'OFF'}", file=out, flush=True)
    progress = Progress(len(todo), out)
    graded = []
    if todo:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {
                pool.submit(grade_submission, str(ch.source_notebook), str(path), str(root), limits, sandbox): (learner, ch, path, fp)
                for learner, ch, path, fp in todo
            }
            for fut in as_completed(futures):
                learner, ch, path, fp = futures[fut]
                try:
                    result = fut.result()
                except Exception as exc:  # a worker process died: the submission still gets a grade and a reason
                    result = crashed_result(ch, f"grading worker failed: {type(exc).__name__}: {exc}")
                notebook = result.pop("notebook", None)
                autograded.record(ag, db_url, ch, learner, notebook, result["scores"], roster.get(learner))
                record = {"learner": learner, "chapter": ch.name, "fingerprint": fp, "graded_at": now(),
                          "limits": asdict(limits), "sandbox": sandbox, "result": result}
                state.save(learner, ch.name, record)
                feedback.write(ag / "feedback", learner, ch.name, record)
                graded.append(record)
                progress.step(f"{learner:<14} {ch.name:<18} {result['score']:g}/{result['max_score']:g}  {result['reason'][:90]}")
    report_paths = write_reports_and_feedback(root, roster, db_url)
    missing = report_paths["missing"]
    absent = f" ({len(missing)} on the roster without a submission count 0: {', '.join(missing[:8])}{' …' if len(missing) > 8 else ''})" if missing else ""
    print(f"graded {len(graded)}, unchanged {skipped}; {report_paths['learners']} learners, mean total "
          f"{report_paths['mean']:.2f}{absent}; reports in {report_paths['grades'].parent.relative_to(root)}/, feedback in {(ag / 'feedback').relative_to(root)}/",
          file=out, flush=True)
    return {"graded": graded, "skipped": skipped, "reports": report_paths}


def crashed_result(ch: Chapter, reason: str) -> dict:
    """The result of a submission whose worker died: every graded test 0,
    out of the chapter's real maximum."""
    import nbformat

    from .. import nbmeta

    source = nbformat.read(str(ch.source_notebook), as_version=4)
    tests = [c for c in source.cells if nbmeta.is_graded_test(c)]
    maxima = {nbmeta.grade_id(c): nbmeta.points(c) for c in tests}
    return {"scores": {g: 0.0 for g in maxima}, "max": maxima, "notes": [], "reason": reason, "seconds": 0.0,
            "tests": [{"grade_id": g, "passed": False, "points": 0.0, "max": m, "message": f"not run: {reason}",
                       "hidden": False} for g, m in maxima.items()],
            "score": 0.0, "max_score": sum(maxima.values())}


def write_reports_and_feedback(root: Path, roster: dict | None = None, db_url: str | None = None) -> dict:
    """Reports and per-learner feedback from the gradebook (so a score an
    instructor adjusted in the formgrader reaches them) and the graders'
    messages (.grade_state)."""
    ag = autograder_dir(root)
    state = StateStore(ag)
    roster = roster if roster is not None else load_saved_roster(ag)
    db_url = db_url or gradebook_url(root)
    states = reports.with_gradebook_scores(state.all(), db_url)
    for record_ in states:
        feedback.write(ag / "feedback", record_["learner"], record_["chapter"], record_)
    return reports.write_reports(states, ag / "reports", roster)


def save_roster(ag: Path, roster: dict) -> None:
    if roster:
        p = ag / ".grade_state" / "_roster.json"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(roster, indent=1, sort_keys=True))


def load_saved_roster(ag: Path) -> dict:
    p = ag / ".grade_state" / "_roster.json"
    return json.loads(p.read_text()) if p.is_file() else {}
