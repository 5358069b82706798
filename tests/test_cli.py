"""The `course` command on a tiny synthetic course (fast, no TensorFlow):
help everywhere, one-line errors with a non-zero exit on bad input, a
release that is idempotent and never overwrites a learner's edits, validate's
per-notebook report, and a real JupyterLab started headless."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbtext  # noqa: E402

TINY = '''%%% md
# Chapter 1 — Tiny

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
print("ok")
'''


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def tiny(tmp_path):
    root = tmp_path / "tinycourse"
    (root / "solutions" / "01_tiny").mkdir(parents=True)
    (root / "autograder").mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'tiny'\n")
    nb = nbtext.text_to_notebook(TINY)
    import nbformat

    nbformat.write(nb, root / "solutions" / "01_tiny" / "01_tiny.ipynb")
    return root


def course(root: Path, *args: str, timeout: int = 300, **env_over: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, COURSE_ROOT=str(root), **env_over)
    return subprocess.run([sys.executable, "-m", "course", *args], env=env, capture_output=True, text=True, timeout=timeout)


def one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected a one-line error, got:\n{proc.stderr}"
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize("sub", [[], ["release"], ["validate"], ["lab"], ["formgrader"], ["grade", "report"]])
def test_help_everywhere(tiny, sub):
    proc = course(tiny, *sub, "--help")
    assert proc.returncode == 0 and "usage: course" in proc.stdout, proc.stderr


def test_release_is_idempotent_and_strips_answers(tiny):
    first = course(tiny, "release")
    assert first.returncode == 0, first.stderr
    assert "01_tiny: 1 file(s) written" in first.stdout
    learner = tiny / "notebooks" / "01_tiny" / "01_tiny.ipynb"
    text = learner.read_text()
    stub = "raise NotImplementedError('Exercise 1.1 (double) is not attempted yet: replace this line with your code.')"
    assert stub in text and "return 2 * x" not in text and "[-6.0]" not in text
    # the form JupyterLab saves (so opening it leaves no unsaved-changes mark):
    # the kernel's language_info, nbformat 4.5, a final newline
    from course.release import kernel_language_info

    nb = json.loads(text)
    assert nb["metadata"]["language_info"] == kernel_language_info()
    assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5) and text.endswith("}\n")
    import nbformat

    assert nbformat.writes(nbformat.reads(text, as_version=4)) + "\n" == text
    before = {p: digest(p) for p in (tiny / "notebooks").rglob("*") if p.is_file()}
    second = course(tiny, "release", "1")
    assert second.returncode == 0 and "01_tiny: up to date" in second.stdout, second.stdout + second.stderr
    after = {p: digest(p) for p in (tiny / "notebooks").rglob("*") if p.is_file()}
    assert before == after


def test_works_without_an_activated_environment(tiny):
    # `.venv/bin/course release` from a shell that never activated .venv:
    # nbgrader's gradebook runs the `alembic` script, which is only on PATH
    # inside the environment
    proc = course(tiny, "release", PATH="/usr/bin:/bin")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tiny / "notebooks" / "01_tiny" / "01_tiny.ipynb").is_file()


def test_release_never_overwrites_a_learners_edits(tiny):
    assert course(tiny, "release").returncode == 0
    learner = tiny / "notebooks" / "01_tiny" / "01_tiny.ipynb"
    generated = learner.read_text()
    nb = json.loads(generated)
    nb["cells"][3]["source"] = "def double(x):\n    return x + x  # my work\n"
    edited = json.dumps(nb)
    learner.write_text(edited)
    # the source changes too, so a release has something new to write
    sol = tiny / "solutions" / "01_tiny" / "01_tiny.ipynb"
    sol.write_text(sol.read_text().replace("# Chapter 1 — Tiny", "# Chapter 1 — Tiny (revised)"))
    refused = course(tiny, "release")
    one_line_error(refused, "01_tiny.ipynb", "--force")
    assert learner.read_text() == edited
    forced = course(tiny, "release", "--force")
    assert forced.returncode == 0, forced.stderr
    backups = list(learner.parent.glob("01_tiny.ipynb.bak-*"))
    assert len(backups) == 1 and backups[0].read_text() == edited
    assert "(revised)" in learner.read_text() and "my work" not in learner.read_text()


@pytest.mark.parametrize(
    "args, needles",
    [
        (["release", "99"], ["unknown chapter '99'", "01_tiny"]),
        (["validate", "nosuch"], ["unknown chapter 'nosuch'"]),
        (["lab", "42"], ["unknown chapter '42'"]),
    ],
)
def test_unknown_chapter_is_one_line(tiny, args, needles):
    one_line_error(course(tiny, *args), *needles)
    assert not (tiny / "notebooks").exists()


def test_missing_course_folder(tmp_path):
    one_line_error(course(tmp_path / "nowhere", "release"), "COURSE_ROOT")


def test_corrupt_source_notebook_changes_nothing(tiny):
    assert course(tiny, "release").returncode == 0
    learner = tiny / "notebooks" / "01_tiny" / "01_tiny.ipynb"
    before = digest(learner)
    sol = tiny / "solutions" / "01_tiny" / "01_tiny.ipynb"
    sol.write_text(sol.read_text()[:200])
    one_line_error(course(tiny, "release"), "01_tiny")
    one_line_error(course(tiny, "validate", "1"), "01_tiny.ipynb", "not a valid notebook")
    assert digest(learner) == before


def test_corrupt_learner_notebook_is_reported_and_kept(tiny):
    assert course(tiny, "release").returncode == 0
    learner = tiny / "notebooks" / "01_tiny" / "01_tiny.ipynb"
    learner.write_text("{ this is not json")
    one_line_error(course(tiny, "validate", "--which", "notebooks"), "not a valid notebook")
    assert learner.read_text() == "{ this is not json"
    one_line_error(course(tiny, "release"), "01_tiny.ipynb")
    assert learner.read_text() == "{ this is not json"


def test_validate_reports_each_notebook(tiny):
    assert course(tiny, "release").returncode == 0
    ok = course(tiny, "validate")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    lines = ok.stdout.splitlines()
    assert re.match(r"passed\s+\d+\.\d s  solutions/01_tiny/01_tiny.ipynb  \(solution\)", lines[0]), lines
    assert re.match(r"passed\s+\d+\.\d s  notebooks/01_tiny/01_tiny.ipynb  \(learner, 1 cell\(s\) waiting for exercises\)", lines[1]), lines
    assert lines[-1].startswith("2 passed, 0 failed")
    # a solution whose graded test fails is reported with the failing cell
    sol = tiny / "solutions" / "01_tiny" / "01_tiny.ipynb"
    sol.write_text(sol.read_text().replace("return 2 * x", "return 3 * x"))
    bad = course(tiny, "validate", "1", "--which", "solutions")
    assert bad.returncode == 1
    assert bad.stdout.startswith("FAILED")
    assert "failing cell 4 [test_double]: AssertionError: double(x)[" in bad.stdout
    assert "Every value is 1.5 times the expected one." in bad.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_serves_the_notebooks_headless(tiny, tmp_path):
    assert course(tiny, "release").returncode == 0
    port = free_port()
    env = dict(os.environ, COURSE_ROOT=str(tiny), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"), JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"))
    env.pop("DISPLAY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "course", "lab", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        url = None
        deadline = time.time() + 120
        while time.time() < deadline and url is None:
            line = proc.stdout.readline()
            if not line:
                break
            m = re.search(rf"(http://127\.0\.0\.1:{port}/lab\?token=\w+)", line)
            if m:
                url = m.group(1)
        assert url, "JupyterLab printed no URL"
        token = url.split("token=")[1]
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
        page = None
        while page is None and time.time() < deadline:
            try:
                page = urllib.request.urlopen(url, timeout=30).read().decode()
            except urllib.error.URLError:
                time.sleep(0.5)
        assert "JupyterLab" in page
        listing = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/01_tiny?token={token}", timeout=30).read())
        assert [item["name"] for item in listing["content"]] == ["01_tiny.ipynb"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_learner_lab_settings_are_what_the_documented_commands_write(tmp_path):
    """course/labsettings/learner/labconfig/page_config.json is exactly what
    nbgrader's documented `jupyter labextension disable` (and JupyterLab's
    `lock`, so the plugin manager cannot re-enable them) write; `course lab`
    puts that folder first on JUPYTER_CONFIG_PATH for its own launch only."""
    from course.cli import LAB_SETTINGS, lab_environment

    committed = json.loads((LAB_SETTINGS / "learner" / "labconfig" / "page_config.json").read_text())
    names = sorted(committed["disabledExtensions"])
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:course-list",
            "@jupyter/nbgrader:create-assignment"} <= set(names)
    jupyter = str(Path(sys.executable).parent / "jupyter")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"))
    for action in ("disable", "lock"):
        proc = subprocess.run([jupyter, "labextension", action, "--level=user", *names], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads((tmp_path / "cfg" / "labconfig" / "page_config.json").read_text()) == committed
    scoped = lab_environment("learner", {"JUPYTER_CONFIG_PATH": "/elsewhere", "JUPYTER_CONFIG_DIR": "/home/me/.jupyter"})
    assert scoped["JUPYTER_CONFIG_PATH"] == os.pathsep.join([str(LAB_SETTINGS / "learner"), "/elsewhere"])
    assert scoped["JUPYTER_CONFIG_DIR"] == "/home/me/.jupyter"
