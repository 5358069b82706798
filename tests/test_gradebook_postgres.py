"""The gradebook need not be SQLite: an instructor who sets
``c.CourseDirectory.db_url`` in ``autograder/nbgrader_config.py`` to a
PostgreSQL URL gets `course release` and `course grade` writing there, and
no SQLite file appears. Runs against a throwaway PostgreSQL server (the
Debian package ``postgresql``); skipped where its binaries are missing."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import sample_class  # noqa: E402
from test_grading import course, make_course  # noqa: E402

LEARNERS = ("alice", "carol")  # full marks and a partial grade


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent  # Debian links a few into /usr/local/bin
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


@pytest.fixture(scope="module")
def postgres_url():
    pytest.importorskip("psycopg")
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    # PostgreSQL refuses to run as root: run it as the `postgres` user then
    as_user: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser")
        as_user = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="course-pg-"))
    base.chmod(0o755)
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if as_user:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    run = lambda *a: subprocess.run([*as_user, *a], check=True, capture_output=True, text=True, timeout=120)  # noqa: E731
    run(str(bindir / "initdb"), "-D", str(data), "--auth=trust", "-U", "grader", "--encoding=UTF8", "--no-instructions")
    # unix socket only: no TCP port to collide with
    run(str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"), "-o",
        f"-c listen_addresses='' -c unix_socket_directories={sock} -p 54329", "start")
    try:
        run(str(bindir / "createdb"), "-h", str(sock), "-p", "54329", "-U", "grader", "gradebook")
        yield f"postgresql+psycopg://grader@/gradebook?host={sock}&port=54329"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


def test_release_and_grading_write_the_configured_postgresql_gradebook(postgres_url, tmp_path):
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    from nbgrader.api import Gradebook

    root = make_course(tmp_path / "course")
    config = root / "autograder" / "nbgrader_config.py"
    config.write_text(config.read_text() + f"\nc.CourseDirectory.db_url = {postgres_url!r}\n")

    rel = course(root, "release", "1")
    assert rel.returncode == 0, rel.stderr[-2000:]
    with Gradebook(postgres_url) as gb:
        assert [a.name for a in gb.assignments] == ["01_neuron"]

    cls = tmp_path / "class"
    sample_class.build(cls, root)
    for learner in LEARNERS:
        dest = root / "autograder" / "submitted" / learner / "01_neuron"
        dest.mkdir(parents=True)
        shutil.copy(cls / f"{learner}_01_neuron.ipynb", dest / "01_neuron.ipynb")
    proc = course(root, "grade", "run", "--workers", "2")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    with Gradebook(postgres_url) as gb:
        got = {s.student.id: s.score for s in gb.assignment_submissions("01_neuron")}
        cells = {len(s.notebooks[0].grades) for s in gb.assignment_submissions("01_neuron")}
    assert got == {learner: sample_class.EXPECTED[learner][0] for learner in LEARNERS}
    assert cells == {14}
    assert not (root / "autograder" / "gradebook.db").exists()
