"""`course grade` end to end on a generated class (tools/sample_class.py):
24 submissions for Chapter 1 — correct, partly wrong, blank, and every
failure and attack — imported from an LMS zip, graded in the sandbox in
parallel, killed half-way and resumed, and checked learner by learner: exact
grade and reason, isolation, feedback without hidden tests, reports."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import sample_class  # noqa: E402

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed (apt-get install bubblewrap)")
# the defaults (30 s a cell, 300 s a notebook): a tighter cell limit makes a
# slow TensorFlow import on a loaded machine look like an infinite loop
LIMITS = ["--workers", "2"]


def make_course(dest: Path) -> Path:
    for sub in ("solutions/01_neuron", "notebooks/01_neuron"):
        shutil.copytree(ROOT / sub, dest / sub)
    (dest / "autograder").mkdir()
    shutil.copy(ROOT / "autograder" / "nbgrader_config.py", dest / "autograder")
    shutil.copy(ROOT / "pyproject.toml", dest)
    return dest


def course(root: Path, *args: str, env_extra=None, timeout=900) -> subprocess.CompletedProcess:
    env = dict(os.environ, COURSE_ROOT=str(root), **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "course", *args], env=env, capture_output=True, text=True, timeout=timeout)


class Listener:
    """A TCP server on the host's loopback; a sandboxed kernel must not reach it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.accepted += 1
                conn.close()
            except OSError:
                pass


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    tmp = tmp_path_factory.mktemp("grading")
    root = make_course(tmp / "course")
    listener = Listener()
    cls = tmp / "class"
    sample_class.build(cls, root, port=listener.port)
    lms_zip = tmp / "lms_download.zip"
    with zipfile.ZipFile(lms_zip, "w") as zf:
        for p in sorted(cls.iterdir()):
            if p.name != "roster.csv":
                zf.write(p, f"submissions/{p.name}")
    originals = {p.name: p.read_bytes() for p in cls.iterdir()}

    # first run: import + grade, killed after a few submissions are done
    env = dict(os.environ, COURSE_ROOT=str(root))
    proc = subprocess.Popen(
        [sys.executable, "-m", "course", "grade", "all", str(lms_zip), "--roster", str(cls / "roster.csv"), *LIMITS],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    first_lines = []
    done = 0
    for line in proc.stdout:
        first_lines.append(line)
        if line.startswith("[") and "/" in line.split("]")[1]:
            done += 1
            if done == 4:
                os.killpg(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert done == 4, "".join(first_lines)[-3000:]
    # second run: resumes, grades only what the killed run did not finish
    second = course(root, "grade", "run", *LIMITS)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    # third run: nothing changed, nothing graded
    third = course(root, "grade", "run", *LIMITS)
    listener.stop = True
    yield {
        "root": root, "class": cls, "first": "".join(first_lines), "second": second, "third": third,
        "listener": listener, "originals": originals,
    }


def states(root: Path) -> dict[str, dict]:
    out = {}
    for p in (root / "autograder" / ".grade_state").glob("*/01_neuron.json"):
        out[p.parent.name] = json.loads(p.read_text())
    return out


@needs_bwrap
def test_import_reports_every_bad_file_and_keeps_going(graded):
    first = graded["first"]
    assert "rejected  submissions/zoe_01_neuron.ipynb: corrupt notebook (JSONDecodeError)" in first
    assert "rejected  submissions/notes.txt: not a notebook (.ipynb)" in first
    assert "rejected  submissions/yuri_99_nosuch.ipynb: names no known chapter ('nosuch')" in first
    assert "rejected  submissions/alice_01_neuron.ipynb: duplicate of submissions/alice_01_neuron-2.ipynb (identical)" in first
    assert "import: 24 imported, 4 rejected" in first
    submitted = sorted(p.parent.parent.name for p in (graded["root"] / "autograder" / "submitted").glob("*/01_neuron/01_neuron.ipynb"))
    assert submitted == sorted(sample_class.EXPECTED)


@needs_bwrap
def test_every_learner_gets_the_exact_grade_and_reason(graded):
    from nbgrader.api import Gradebook

    got = states(graded["root"])
    assert sorted(got) == sorted(sample_class.EXPECTED)
    wrong = []
    with Gradebook(f"sqlite:///{graded['root'] / 'autograder' / 'gradebook.db'}") as gb:
        for learner, (score, reason) in sample_class.EXPECTED.items():
            state = got[learner]["result"]
            db_score = gb.find_submission("01_neuron", learner).score
            if not (state["score"] == score == db_score and reason in state["reason"]):
                wrong.append(f"{learner}: expected {score} '{reason}', got {state['score']} (gradebook {db_score}) '{state['reason']}'")
        assert not wrong, "\n".join(wrong)
        # roster details reached nbgrader's gradebook
        assert gb.find_student("alice").last_name == "Example, Jr."


@needs_bwrap
def test_failure_cases_are_explained(graded):
    got = states(graded["root"])
    notes = {k: " | ".join(v["result"]["notes"]) for k, v in got.items()}
    assert "graded cell 'test_weighted_sum' was deleted; the original was restored" in notes["mallory"]
    assert "graded cell 'test_weighted_sum' was edited; the original was restored" in notes["nina"]
    assert "duplicated graded cell 'weighted_sum' ignored" in notes["oscar"]
    judy = {t["grade_id"]: t["message"] for t in got["judy"]["result"]["tests"]}
    assert judy["test_weighted_sum"].startswith("MemoryError"), judy["test_weighted_sum"]
    # 20 MB of output never reaches the stored result
    assert (graded["root"] / "autograder" / ".grade_state" / "liam" / "01_neuron.json").stat().st_size < 50_000


@needs_bwrap
def test_sandbox_kept_learners_in(graded):
    root = graded["root"]
    assert not (root / "autograder" / "pwned_by_walter.txt").exists()
    assert graded["listener"].accepted == 0
    # the attackers' probes all failed, so each lost exactly the exercise that depended on it
    got = states(root)
    for learner, test in (("trent", "test_weighted_sum"), ("uma", "test_step"), ("victor", "test_perceptron_update"),
                          ("walter", "test_neuron_forward"), ("xena", "test_make_keras_neuron")):
        failed = [t["grade_id"] for t in got[learner]["result"]["tests"] if not t["passed"]]
        assert failed[:2] == [test, f"{test}_hidden"], (learner, failed)


@needs_bwrap
def test_killed_run_resumes_and_unchanged_work_is_not_regraded(graded):
    second, third = graded["second"].stdout, graded["third"].stdout
    assert "24 submission(s): 20 to grade, 4 unchanged since the last run" in second, second[:500]
    assert "24 submission(s): 0 to grade, 24 unchanged since the last run" in third, third[:500]


@needs_bwrap
def test_submitted_files_are_never_modified(graded):
    sub = graded["root"] / "autograder" / "submitted"
    originals = graded["originals"]
    for learner in sample_class.EXPECTED:
        name = f"{learner} - 01_neuron (1).ipynb" if learner == "frank" else f"{learner}_01_neuron.ipynb"
        if learner == "alice":
            name = "alice_01_neuron-2.ipynb"
        data = (sub / learner / "01_neuron" / "01_neuron.ipynb").read_bytes()
        assert hashlib.sha256(data).digest() == hashlib.sha256(originals[name]).digest(), learner


@needs_bwrap
def test_feedback_shows_results_but_never_hidden_test_code(graded):
    fb = graded["root"] / "autograder" / "feedback"
    pages = {p.parent.parent.name: p.read_text() for p in fb.glob("*/01_neuron/01_neuron.html")}
    assert sorted(pages) == sorted(sample_class.EXPECTED)
    hidden_markers = ["_reference_train", "default_rng(101)", "BEGIN HIDDEN TESTS", "_expected = sum("]
    for learner, page in pages.items():
        for marker in hidden_markers:
            assert marker not in page, (learner, marker)
    assert "Score: 9 / 17" in pages["carol"] and "test_step_hidden</td><td>hidden</td><td>failed" in pages["carol"]
    assert "Score: 17 / 17" in pages["alice"] and "failed" not in pages["alice"].split("<table>")[1]


@needs_bwrap
def test_reports(graded):
    reports = graded["root"] / "autograder" / "reports"
    with open(reports / "grades.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], {r[0]: r for r in rows[1:]}
    assert header[0] == "learner" and header[-3:] == ["submitted", "total", "max"] and len(header) == 1 + 14 + 3
    assert "01_neuron:test_weighted_sum_hidden" in header
    assert body["carol"][-3:] == ["01_neuron", "9", "17"]
    assert body["zoe"][-3:] == ["", "0", "17"]  # on the roster, no valid submission
    with open(reports / "lms_totals.csv", newline="") as fh:
        lms = {r["id"]: r for r in csv.DictReader(fh)}
    assert lms["alice"]["last_name"] == "Example, Jr." and lms["alice"]["percent"] == "100.0"
    with open(reports / "pass_rates.csv", newline="") as fh:
        rates = {r["grade_id"]: r for r in csv.DictReader(fh)}
    assert rates["test_weighted_sum"]["submissions"] == "24"
    assert (reports / "class_report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_refuses_untrusted_code_without_the_sandbox(tmp_path):
    root = make_course(tmp_path / "course")
    (root / "autograder" / "submitted" / "bob" / "01_neuron").mkdir(parents=True)
    shutil.copy(root / "notebooks" / "01_neuron" / "01_neuron.ipynb", root / "autograder" / "submitted" / "bob" / "01_neuron")
    no_bwrap = {"PATH": str(Path(sys.executable).parent)}
    proc = course(root, "grade", "run", env_extra=no_bwrap)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "bubblewrap (bwrap) is not installed" in proc.stderr and "--unsafe-no-sandbox" in proc.stderr
    assert not (root / "autograder" / "gradebook.db").exists()


@needs_bwrap
def test_cpu_time_cap_stops_a_busy_kernel(tmp_path):
    """A loop that ignores interrupts and runs past its CPU budget is killed
    by the CPU limit (here 6 s, below the 60 s cell time limit)."""
    from course.grading.runner import grade_submission
    from course.grading.sandbox import Limits

    import nbformat

    root = make_course(tmp_path / "course")
    nb = nbformat.read(root / "notebooks" / "01_neuron" / "01_neuron.ipynb", as_version=4)
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == "weighted_sum":
            c.source = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"
    sub = tmp_path / "burner.ipynb"
    nbformat.write(nb, sub)
    result = grade_submission(str(root / "solutions" / "01_neuron" / "01_neuron.ipynb"), str(sub), str(root),
                              Limits(cell_timeout=60, notebook_timeout=120, cpu_seconds=6))
    assert result["score"] == 0
    assert "used up its CPU time limit" in result["reason"], result["reason"]


@needs_bwrap
def test_sandbox_hides_the_checkout_the_grader_runs_from(tmp_path):
    """Grading a course root elsewhere than the checkout the `course` package
    comes from (another term's copy, the benchmark's temporary courses): the
    kernel still imports that very package, and that checkout's answer keys
    stay hidden like the graded course's own."""
    import course as course_pkg
    from course.grading.sandbox import Limits, kernel_argv

    root = make_course(tmp_path / "course")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    argv = kernel_argv(scratch, root, Limits(), sandbox=True)
    wrapper = argv[: argv.index("--") + 1]
    checkout = Path(course_pkg.__file__).resolve().parent.parent
    probe = textwrap.dedent(f"""
        import course, os
        print(course.__file__)
        for path in ({str(checkout / "solutions")!r}, {str(root / "solutions")!r}):
            print(path, os.path.isdir(path) and os.listdir(path))
    """)
    run = subprocess.run([*wrapper, sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert lines[0] == course_pkg.__file__, f"the sandboxed kernel imported {lines[0]}, the grader runs {course_pkg.__file__}"
    assert lines[1:] == [f"{checkout / 'solutions'} False", f"{root / 'solutions'} False"], run.stdout


# ----------------------------------------------------------------------------
# What nbgrader's formgrader, export and feedback see after `course grade`
# (a tiny synthetic chapter: seconds, and independent of the chapters in flux)

import tiny_course  # noqa: E402


def _cells(path: Path) -> list:
    """An autograded notebook as comparable data: every cell's id, type,
    source and metadata (without nbclient's timing) and its outputs' kind,
    exception name and message."""
    nb = json.loads(path.read_text())
    out = []
    for c in nb["cells"]:
        meta = {k: v for k, v in c["metadata"].items() if k != "execution"}
        outs = [(o["output_type"], o.get("ename"), o.get("evalue"), o.get("name")) for o in c.get("outputs", [])]
        out.append((c.get("id"), c["cell_type"], "".join(c["source"]), meta, outs))
    return [nb["metadata"], out]


@pytest.fixture(scope="module")
def tiny_graded(tmp_path_factory):
    """The tiny class graded twice: by `course grade all` and, on an
    identical course, by plain `nbgrader autograde`."""
    tmp = tmp_path_factory.mktemp("tinygrade")
    ours = tiny_course.make(tmp / "ours")
    plain = tiny_course.make(tmp / "plain")
    folder = tiny_course.write_class(ours, tmp / "class")
    graded = tiny_course.grade(ours, folder)
    assert graded.returncode == 0, graded.stdout[-3000:] + graded.stderr[-3000:]
    imported = tiny_course.course(plain, "grade", "import", str(folder))
    assert imported.returncode == 0, imported.stderr
    env = tiny_course.course_env(plain, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    auto = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", tiny_course.CHAPTER],
                          cwd=plain / "autograder", env=env, capture_output=True, text=True, timeout=600)
    assert auto.returncode == 0, auto.stderr[-3000:]
    return {"ours": ours, "plain": plain, "graded": graded}


def _api(root: Path):
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from course.nbgrader_settings import make_config

    config = make_config(root / "autograder")
    config.ExchangeFactory.list = "course.labsettings.formgrader.NoExchangeList"  # no exchange in a test
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def test_course_grade_leaves_what_nbgrader_autograde_leaves(tiny_graded):
    """autograded/<learner>/<chapter>/: the same notebook (cell ids, sources,
    nbgrader metadata with checksums, outputs) and timestamp as plain
    `nbgrader autograde` writes, and the same gradebook rows."""
    from nbgrader.api import Gradebook

    ours, plain = tiny_graded["ours"], tiny_graded["plain"]
    ch = tiny_course.CHAPTER
    for learner in tiny_course.CLASS:
        a = ours / "autograder" / "autograded" / learner / ch
        b = plain / "autograder" / "autograded" / learner / ch
        assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir()) == [f"{ch}.ipynb", "timestamp.txt"]
        assert (a / "timestamp.txt").read_text() == (b / "timestamp.txt").read_text()
        assert _cells(a / f"{ch}.ipynb") == _cells(b / f"{ch}.ipynb"), learner
    rows = {}
    for root in (ours, plain):
        with Gradebook(f"sqlite:///{root / 'autograder' / 'gradebook.db'}") as gb:
            rows[root] = {
                learner: (sub.timestamp, sub.score, sub.max_score,
                          sorted((g.name, g.auto_score, g.manual_score, g.needs_manual_grade) for g in sub.notebooks[0].grades),
                          sorted((c.name, c.auto_comment) for c in sub.notebooks[0].comments))
                for learner in tiny_course.CLASS
                for sub in [gb.find_submission(ch, learner)]
            }
    assert rows[ours] == rows[plain]
    assert {learner: r[1] for learner, r in rows[ours].items()} == {l: s for l, (_, s) in tiny_course.CLASS.items()}


def test_formgrader_api_sees_graded_submissions_and_manual_adjustments(tiny_graded, tmp_path):
    """NbGraderAPI (what the formgrader's pages call): every submission
    autograded with its score, maximum and timestamp, each notebook openable
    for manual grading; a manual score reaches the API, `course grade
    report` (grades.csv, pass_rates.csv, feedback), survives a `course grade
    run`, and `nbgrader export` / `generate_feedback` work."""
    from nbgrader.api import Gradebook

    root = tmp_path / "course"
    shutil.copytree(tiny_graded["ours"], root)
    ch = tiny_course.CHAPTER
    api = _api(root)
    subs = {s["student"]: s for s in api.get_submissions(ch)}
    assert {k: (s["score"], s["max_score"], s["autograded"], s["needs_manual_grade"]) for k, s in subs.items()} == {
        "alice": (3.0, 3.0, True, False), "bob": (0.0, 3.0, True, False), "carol": (1.0, 3.0, True, False)}
    assert all(s["timestamp"] for s in subs.values())
    notebooks = api.get_notebook_submissions(ch, ch)
    assert sorted(n["student"] for n in notebooks) == ["alice", "bob", "carol"]
    assert all(n["failed_tests"] == (n["student"] != "alice") for n in notebooks)

    # the instructor gives carol's wrong square a point by hand
    with Gradebook(f"sqlite:///{root / 'autograder' / 'gradebook.db'}") as gb:
        grade = gb.find_grade("test_square", ch, ch, "carol")
        assert grade.auto_score == 0.0
        grade.manual_score = 1.0
        gb.db.commit()
    assert _api(root).get_submission(ch, "carol")["score"] == 2.0
    report = tiny_course.course(root, "grade", "report")
    assert report.returncode == 0, report.stderr
    with open(root / "autograder" / "reports" / "grades.csv", newline="") as fh:
        grades = {r["learner"]: r for r in csv.DictReader(fh)}
    assert grades["carol"][f"{ch}:test_square"] == "1" and grades["carol"]["total"] == "2"
    with open(root / "autograder" / "reports" / "pass_rates.csv", newline="") as fh:
        rates = {r["grade_id"]: r for r in csv.DictReader(fh)}
    assert rates["test_square"]["passed"] == "2"
    page = (root / "autograder" / "feedback" / "carol" / ch / f"{ch}.html").read_text()
    assert "Score: 2 / 3" in page and "points set by the instructor" in page
    # nothing changed: no regrade, the manual score stays
    again = tiny_course.course(root, "grade", "run")
    assert again.returncode == 0 and "0 to grade, 3 unchanged" in again.stdout, again.stdout + again.stderr
    assert _api(root).get_submission(ch, "carol")["score"] == 2.0

    env = tiny_course.course_env(root, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    export = subprocess.run([nbgrader, "export"], cwd=root / "autograder", env=env, capture_output=True, text=True, timeout=300)
    assert export.returncode == 0, export.stderr[-2000:]
    with open(root / "autograder" / "grades.csv", newline="") as fh:
        exported = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert {k: float(r["raw_score"]) for k, r in exported.items()} == {"alice": 3.0, "bob": 0.0, "carol": 2.0}
    fb = subprocess.run([nbgrader, "generate_feedback", ch], cwd=root / "autograder", env=env, capture_output=True, text=True, timeout=300)
    assert fb.returncode == 0, fb.stderr[-2000:]
    assert (root / "autograder" / "feedback" / "alice" / ch / f"{ch}.html").is_file()


def test_feedback_says_not_attempted(tiny_graded):
    ch = tiny_course.CHAPTER
    page = (tiny_graded["ours"] / "autograder" / "feedback" / "bob" / ch / f"{ch}.html").read_text()
    assert "not attempted (Exercise 1.1 (double))" in page
    assert "NotImplementedError" not in page
    assert "0 of 3 graded tests passed; 3 not attempted" in page
    carol = (tiny_graded["ours"] / "autograder" / "feedback" / "carol" / ch / f"{ch}.html").read_text()
    assert "1 failed: test_square; 1 not attempted" in carol and "square(x)[1] is 6" in carol


def test_class_report_title_names_a_hardest_test_only_without_ties():
    from course.grading.reports import hardest_title

    assert hardest_title([50.0, 0.0, 100.0], ["a", "b", "c"]) == "Pass rate per graded test: hardest is b (0%)"
    assert hardest_title([0.0, 0.0, 100.0], ["a", "b", "c"]) == "Pass rate per graded test: lowest 0%, shared by 2 tests"
    assert hardest_title([0.0, 0.0], ["a", "b"]) == "Pass rate per graded test: all 2 tests at 0%"


def test_a_crashed_worker_reports_the_real_maximum(tmp_path):
    from course.grading.grade import crashed_result
    from course.paths import Chapter

    root = tiny_course.make(tmp_path / "course")
    res = crashed_result(Chapter(tiny_course.CHAPTER, root), "grading worker failed: BrokenProcessPool")
    assert (res["score"], res["max_score"]) == (0.0, 3.0)
    assert [t["grade_id"] for t in res["tests"]] == ["test_double", "test_square", "test_half"]
