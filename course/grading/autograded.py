"""Leave the course root exactly as ``nbgrader autograde`` leaves it.

``nbgrader autograde`` writes, per submission: the submission's timestamp
(from ``submitted/<learner>/<chapter>/timestamp.txt``) into the gradebook,
the executed notebook into ``autograded/<learner>/<chapter>/`` with the
graded cells' nbgrader metadata (checksums) restored from the gradebook, the
chapter's other files and the timestamp beside it, and every grade, comment
and late penalty into the gradebook. nbgrader's formgrader (Manage
Submissions, Manual Grading), ``nbgrader generate_feedback`` and ``nbgrader
export`` all read these.

Here the notebook was executed in the sandbox (:mod:`.runner`); the rest is
nbgrader's own code: the preprocessors of ``nbgrader autograde``'s two
passes (``Autograde.sanitize_preprocessors`` and
``Autograde.autograde_preprocessors``), minus clearing and executing, run
on that notebook with the course's nbgrader configuration. The runner made
every test cell's outputs agree with its verdict, so nbgrader's
``SaveAutoGrades`` records the runner's points; :func:`record` checks that.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import nbformat
from sqlalchemy.exc import SAWarning

from ..nbgrader_settings import make_config
from ..paths import Chapter

# nbgrader autograde's preprocessors, in its order, without ClearOutput,
# DeduplicateIds (the runner's notebook is assembled from the source, one
# cell per grade_id) and Execute (the sandboxed runner executed it)
PREPROCESSORS = [
    "OverwriteKernelspec", "OverwriteCells", "CheckCellMetadata",  # the sanitizing pass
    "IgnorePattern", "ClearMetadataPreprocessor", "LimitOutput", "SaveAutoGrades", "AssignLatePenalties", "CheckCellMetadata",
]
IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.bak-*"]


def submission_timestamp(submitted_dir: Path):
    """The submission's time as nbgrader reads it (``timestamp.txt``), or None."""
    from nbgrader.utils import parse_utc

    path = Path(submitted_dir) / "timestamp.txt"
    if not path.is_file():
        return None
    try:
        return parse_utc(path.read_text().strip())
    except Exception:
        return None


def _as_submitted(nb, chapter: Chapter) -> None:
    """The metadata nbgrader autograde's notebook has: the graded and locked
    cells' metadata as released to learners (the submission's, which
    OverwriteCells then checks against the gradebook), and the kernel's
    ``language_info``."""
    import copy

    from .. import nbmeta
    from ..release import kernel_language_info

    if chapter.release_notebook.is_file():
        released = nbformat.read(str(chapter.release_notebook), as_version=4)
        meta = {nbmeta.grade_id(c): c.metadata for c in released.cells if nbmeta.grade_id(c)}
        for cell in nb.cells:
            gid = nbmeta.grade_id(cell)
            if gid in meta:
                execution = cell.metadata.get("execution")
                cell.metadata = copy.deepcopy(meta[gid])
                if execution is not None:
                    cell.metadata["execution"] = execution
    nb.metadata["language_info"] = kernel_language_info()


def _preprocessor(name: str, config):
    if name == "ClearMetadataPreprocessor":
        from nbconvert.preprocessors import ClearMetadataPreprocessor

        return ClearMetadataPreprocessor(config=config)
    import nbgrader.preprocessors as pp

    return getattr(pp, name)(config=config)


def record(autograder: Path, db_url: str, chapter: Chapter, learner: str, notebook: dict | None,
           scores: dict[str, float], roster_row: dict | None) -> Path:
    """Write the gradebook rows and ``autograded/<learner>/<chapter>/`` for
    one graded submission; returns the autograded notebook's path. Grades an
    instructor adjusted by hand in the formgrader stay (and are flagged for
    review), as with ``nbgrader autograde``."""
    from nbgrader.api import Gradebook

    autograder = Path(autograder)
    name = chapter.source_notebook.stem
    submitted = autograder / "submitted" / learner / chapter.name
    timestamp = submission_timestamp(submitted)
    student = {}
    if roster_row:
        student = {k: roster_row.get(k) or None for k in ("first_name", "last_name", "email") if k in roster_row}
    with Gradebook(db_url) as gb, warnings.catch_warnings():
        # nbgrader 0.9's add_submission builds its objects in a way SQLAlchemy 2
        # warns about ("... not in session, add operation along ... will not
        # proceed"); the rows are complete (tests/test_grading.py reads every
        # grade back), so keep the noise out of the instructor's terminal
        warnings.simplefilter("ignore", SAWarning)
        gb.update_or_create_student(learner, **student)
        gb.update_or_create_submission(chapter.name, learner, timestamp=timestamp)

    if notebook is None:  # the worker died before returning one: the source, every test failed
        from .runner import graded_notebook

        source = nbformat.read(str(chapter.source_notebook), as_version=4)
        from .. import nbmeta

        tests = [{"grade_id": nbmeta.grade_id(c), "passed": False, "message": "GradingError: the grader crashed"}
                 for c in source.cells if nbmeta.is_graded_test(c)]
        notebook = graded_notebook(source, tests)
    nb = nbformat.reads(json.dumps(notebook), as_version=4)  # the on-disk form: sources as line lists
    _as_submitted(nb, chapter)
    config = make_config(autograder, db_url=db_url)
    resources = {"nbgrader": {"notebook": name, "assignment": chapter.name, "student": learner, "db_url": db_url}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        for pp_name in PREPROCESSORS:
            nb, resources = _preprocessor(pp_name, config)(nb, resources)

    dest = autograder / "autograded" / learner / chapter.name
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    # like nbgrader: the chapter's other files from the source, and the timestamp
    for item in sorted(chapter.source_dir.rglob("*")):
        rel = item.relative_to(chapter.source_dir)
        if item.is_file() and item.suffix != ".ipynb" and not any(rel.match(p) or p in rel.parts for p in IGNORE):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(item, dest / rel)
    if (submitted / "timestamp.txt").is_file():
        shutil.copy2(submitted / "timestamp.txt", dest / "timestamp.txt")
    path = dest / f"{name}.ipynb"
    nbformat.write(nb, str(path))

    # the runner's verdict is the grade (it agrees with nbgrader's reading of
    # the outputs by construction; this makes any disagreement harmless)
    with Gradebook(db_url) as gb:
        for gid, score in scores.items():
            grade = gb.find_grade(gid, name, chapter.name, learner)
            if grade.auto_score != float(score):
                grade.auto_score = float(score)
        gb.db.commit()
    return path
