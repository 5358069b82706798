#!/usr/bin/env python3
"""Grade the same 40 Chapter-1 submissions twice and compare:
plain sequential ``nbgrader autograde`` versus ``course grade run``
(sandboxed, one worker per core by default). Prints both times, seconds per
submission, the ratio, and checks that both gave the same totals.

    python benchmarks/grading_benchmark.py [--n 40] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import sample_class  # noqa: E402
from course.nbgrader_settings import scripts_on_path  # noqa: E402

# benign submissions only: plain nbgrader has no defence against the attacks
KINDS = ["alice", "bob", "carol", "dave", "grace", "judy", "nina", "mallory"]


def make_course(dest: Path) -> Path:
    for sub in ("solutions/01_neuron", "notebooks/01_neuron"):
        shutil.copytree(ROOT / sub, dest / sub)
    (dest / "autograder").mkdir(parents=True)
    shutil.copy(ROOT / "autograder" / "nbgrader_config.py", dest / "autograder")
    shutil.copy(ROOT / "pyproject.toml", dest)
    return dest


def populate(root: Path, cls: Path, n: int) -> None:
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        dest = root / "autograder" / "submitted" / f"learner{i:02d}" / "01_neuron"
        dest.mkdir(parents=True)
        shutil.copy(cls / f"{kind}_01_neuron.ipynb", dest / "01_neuron.ipynb")


def totals(db: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db}") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions("01_neuron")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        tmp = Path(tmp)
        plain, ours = make_course(tmp / "plain"), make_course(tmp / "ours")
        sample_class.build(tmp / "class", plain)
        populate(plain, tmp / "class", args.n)
        populate(ours, tmp / "class", args.n)
        scripts_on_path()  # nbgrader's gradebook runs `alembic` from PATH
        env = dict(os.environ, COURSE_ROOT=str(plain))
        ag = plain / "autograder"
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "01_neuron", "--force"],
                       cwd=ag, env=env, check=True, capture_output=True)
        # the generated copy would land in ../notebooks of the temporary course, which is fine
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "01_neuron", "--force"],
                           cwd=ag, env=env, capture_output=True, text=True)
        t_plain = time.perf_counter() - t0
        if r.returncode != 0:
            print(r.stderr[-2000:])
            return 1
        env = dict(os.environ, COURSE_ROOT=str(ours))
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "course", "grade", "run", "--workers", str(args.workers)],
                           env=env, capture_output=True, text=True)
        t_ours = time.perf_counter() - t0
        if r.returncode != 0:
            print(r.stdout[-2000:], r.stderr[-2000:])
            return 1
        a, b = totals(plain / "autograder" / "gradebook.db"), totals(ours / "autograder" / "gradebook.db")
        same = a == b
        print(f"{args.n} submissions of 01_neuron on {os.cpu_count()} cores")
        print(f"plain nbgrader autograde (sequential, no sandbox): {t_plain:7.1f} s  ({t_plain / args.n:5.2f} s per submission)")
        print(f"course grade run ({args.workers} workers, sandboxed):      {t_ours:7.1f} s  ({t_ours / args.n:5.2f} s per submission)")
        print(f"ratio nbgrader / course grade: {t_plain / t_ours:.2f}x")
        print(f"identical totals for all {len(a)} learners: {same}")
        for learner in sorted(set(a) | set(b)):
            if a.get(learner) != b.get(learner):
                print(f"  {learner}: nbgrader {a.get(learner)}, course grade {b.get(learner)}")
        if not same:
            print(r.stdout[-3000:])
        return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
