#!/usr/bin/env python3
"""Generate a sample class of Chapter 1 submissions, as an LMS would hand them
out (``<learner>_01_neuron.ipynb``), plus a roster: correct, partly wrong and
blank work, and one submission for every failure and attack `course grade`
must survive. Used by the grading tests, the grading benchmark and the
README's instructor demo.

    python tools/sample_class.py OUT_DIR [--course-root ROOT] [--zip]

``EXPECTED`` lists each learner's exact score and a fragment of the reason.
"""

from __future__ import annotations

import argparse
import copy
import csv
import importlib.util
import json
import zipfile
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
CHAPTER = "01_neuron"

# learner -> (score out of 17, fragment of the reason)
EXPECTED = {
    "alice": (17, "all graded tests passed"),
    "bob": (0, "14 of 14 graded tests failed"),
    "carol": (9, "graded tests failed: test_step, test_step_hidden, test_perceptron_update"),
    "dave": (7, "8 of 14 graded tests failed"),  # only 1.1-1.3 answered
    "erin": (13, "ran longer than the"),
    "frank": (17, "all graded tests passed"),  # file renamed "frank - 01_neuron (1).ipynb"
    "grace": (15, "2 of 14 graded tests failed: test_step, test_step_hidden"),  # sys.exit in a cell
    "heidi": (7, "the kernel exited (status 3"),  # os._exit
    "ivan": (10, "segmentation fault"),
    "judy": (15, "test_weighted_sum, test_weighted_sum_hidden"),  # MemoryError under the memory cap
    "ken": (0, "14 of 14 graded tests failed"),  # exceptions everywhere
    "liam": (17, "all graded tests passed"),  # 20 MB of output
    "mallory": (17, "all graded tests passed"),  # deleted graded cells (restored)
    "nina": (15, "test_weighted_sum, test_weighted_sum_hidden"),  # edited graded cell + wrong answer
    "oscar": (17, "all graded tests passed"),  # duplicated graded cell
    "peggy": (0, "no answers"),  # empty notebook
    "quinn": (0, "14 of 14 graded tests failed"),  # tamper: numpy comparisons
    "rupert": (0, "14 of 14 graded tests failed"),  # tamper: redefined checks helper
    "sybil": (0, "14 of 14 graded tests failed"),  # tamper: hidden tracebacks, AssertionError replaced
    "trent": (15, "test_weighted_sum, test_weighted_sum_hidden"),  # tries to read solutions/
    "uma": (15, "test_step, test_step_hidden"),  # tries to read the gradebook
    "victor": (11, "4 of 14 graded tests failed: test_perceptron_update, test_perceptron_update_hidden"),  # reads alice's submission
    "walter": (15, "test_neuron_forward, test_neuron_forward_hidden"),  # writes outside its scratch folder
    "xena": (15, "test_make_keras_neuron, test_make_keras_neuron_hidden"),  # opens a network connection
}
PROBES = {"network_port_file": "network_port.txt"}  # where the tests tell xena which port to try


def _wrong_answers() -> dict:
    path = HERE.parent / "tests" / "wrong_answers" / f"{CHAPTER}.py"
    spec = importlib.util.spec_from_file_location("wrong", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    import textwrap

    return {gid: {k: textwrap.dedent(v).strip() + "\n" for k, v in d.items()} for gid, d in mod.WRONG.items()}


def _answers(root: Path) -> dict[str, str]:
    key = nbformat.read(root / "solutions" / CHAPTER / f"{CHAPTER}.ipynb", as_version=4)
    out = {}
    for c in key.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("solution"):
            out[meta["grade_id"]] = "\n".join(
                line for line in c.source.splitlines() if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
            ) + "\n"
    return out


def _with(learner_nb, answers: dict[str, str]):
    nb = copy.deepcopy(learner_nb)
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers and c.metadata["nbgrader"].get("solution"):
            c.source = answers[gid]
            c.outputs, c.execution_count = [], None
    return nb


def build(out: Path, root: Path, port: int = 9) -> dict[str, Path]:
    """Write the class into *out*; return learner -> file. *port*: the TCP
    port xena's submission tries to reach (the tests listen on it)."""
    out.mkdir(parents=True, exist_ok=True)
    learner_nb = nbformat.read(root / "notebooks" / CHAPTER / f"{CHAPTER}.ipynb", as_version=4)
    key = _answers(root)
    wrong = _wrong_answers()
    R = str(root)

    def full(**override):
        return _with(learner_nb, {**key, **override})

    def attack(gid: str, probe: str) -> str:
        """The correct answer only if *probe* succeeds, a wrong one otherwise."""
        return f"try:\n{_indent(probe)}\n    _ok = True\nexcept Exception:\n    _ok = False\nif _ok:\n{_indent(key[gid])}\nelse:\n{_indent(next(iter(wrong[gid].values())))}\n"

    nbs = {
        "alice": full(),
        "bob": copy.deepcopy(learner_nb),
        "carol": full(step=wrong["step"]["strict inequality: step(0) = 0"],
                      perceptron_update=wrong["perceptron_update"]["forgets to update the bias"]),
        "dave": _with(learner_nb, {k: key[k] for k in ("weighted_sum", "step", "gate_parameters")}),
        "erin": full(neuron_forward="import time\nwhile True:  # waits forever (a busy loop is in the CPU-cap test)\n    time.sleep(0.1)\n"),
        "frank": full(),
        "grace": full(step="import sys\nsys.exit(1)\n" + key["step"]),
        "heidi": full(perceptron_update="import os\nos._exit(3)\n"),
        "ivan": full(train_perceptron="import ctypes\nctypes.string_at(0)\n"),
        "judy": full(weighted_sum="def weighted_sum(x, w, b):\n    big = np.ones((40_000, 1_000_000))  # 320 GB\n    return float(np.dot(w, x) + b)\n"),
        "ken": _with(learner_nb, {gid: "raise ValueError('oops')\n" for gid in key}),
        "liam": full(weighted_sum="print('x' * 20_000_000)\n" + key["weighted_sum"]),
        "mallory": full(),
        "nina": full(weighted_sum=wrong["weighted_sum"]["forgets the bias"]),
        "oscar": full(),
        "quinn": _with(learner_nb, {
            **{gid: "\n".join(_wrong_first(wrong, gid)) for gid in key},
            "weighted_sum": "np.isclose = lambda a, b, **k: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)\n"
                            "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
                            "import numpy.testing\nnumpy.testing.assert_allclose = lambda *a, **k: None\n"
                            + wrong["weighted_sum"]["forgets the bias"],
        }),
        "rupert": _with(learner_nb, {
            **{gid: "\n".join(_wrong_first(wrong, gid)) for gid in key},
            "weighted_sum": "import course.checks\nfor _n in dir(course.checks):\n    if _n.startswith('assert'):\n"
                            "        setattr(course.checks, _n, lambda *a, **k: None)\n"
                            "class _Fake:\n    def __getattr__(self, name):\n        return lambda *a, **k: None\nchecks = _Fake()\n"
                            + wrong["weighted_sum"]["forgets the bias"],
        }),
        "sybil": _with(learner_nb, {
            **{gid: "\n".join(_wrong_first(wrong, gid)) for gid in key},
            "weighted_sum": "import builtins\nbuiltins.AssertionError = type('AssertionError', (Warning,), {})\n"
                            "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n"
                            "get_ipython().showtraceback = lambda *a, **k: None\n"
                            + wrong["weighted_sum"]["forgets the bias"],
        }),
        "trent": full(weighted_sum=attack("weighted_sum", f"    open({R + '/solutions/01_neuron/01_neuron.ipynb'!r}).read()")),
        "uma": full(step=attack("step", f"    open({R + '/autograder/gradebook.db'!r}, 'rb').read(16)")),
        "victor": full(perceptron_update=attack("perceptron_update", f"    open({R + '/autograder/submitted/alice/01_neuron/01_neuron.ipynb'!r}).read()")),
        "walter": full(neuron_forward=attack("neuron_forward", f"    open({R + '/autograder/pwned_by_walter.txt'!r}, 'w').write('x')")),
        "xena": full(make_keras_neuron=attack("make_keras_neuron", f"    import socket\n    socket.create_connection(('127.0.0.1', {port}), timeout=3).close()")),
    }
    # mallory deleted two graded test cells
    nbs["mallory"].cells = [c for c in nbs["mallory"].cells
                            if c.metadata.get("nbgrader", {}).get("grade_id") not in ("test_weighted_sum", "test_step_hidden")]
    # nina emptied the visible test of the exercise she got wrong
    for c in nbs["nina"].cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == "test_weighted_sum":
            c.source = "pass"
    # oscar's notebook holds the weighted_sum answer cell twice, the second copy wrong
    idx = next(i for i, c in enumerate(nbs["oscar"].cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "weighted_sum")
    dup = copy.deepcopy(nbs["oscar"].cells[idx])
    dup.source = wrong["weighted_sum"]["forgets the bias"]
    dup.id = "duplicate-cell"
    nbs["oscar"].cells.insert(idx + 2, dup)
    nbs["peggy"] = nbformat.v4.new_notebook()

    files = {}
    for learner, nb in nbs.items():
        name = f"{learner} - {CHAPTER} (1).ipynb" if learner == "frank" else f"{learner}_{CHAPTER}.ipynb"
        path = out / name
        nbformat.write(nb, path)
        files[learner] = path
    # files the import step must reject without stopping
    (out / "zoe_01_neuron.ipynb").write_text('{"cells": [ this is not json')
    (out / "notes.txt").write_text("not a notebook")
    (out / "yuri_99_nosuch.ipynb").write_text(json.dumps(nbformat.v4.new_notebook()))
    (out / "alice_01_neuron-2.ipynb").write_bytes((out / "alice_01_neuron.ipynb").read_bytes())
    with open(out / "roster.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "first_name", "last_name", "email"])
        for learner in list(nbs) + ["zoe", "yuri"]:
            w.writerow([learner, learner.title(), "Example, Jr." if learner == "alice" else "Example", f"{learner}@example.org"])
    return files


def _wrong_first(wrong: dict, gid: str) -> list[str]:
    return [next(iter(wrong[gid].values()))]


def _indent(code: str) -> str:
    return "\n".join("    " + line if line.strip() else line for line in code.strip().splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--course-root", type=Path, default=HERE.parent)
    parser.add_argument("--zip", action="store_true", help="also pack the class as OUT.zip, as an LMS download")
    args = parser.parse_args()
    build(args.out, args.course_root.resolve())
    if args.zip:
        with zipfile.ZipFile(args.out.with_suffix(".zip"), "w") as zf:
            for p in sorted(args.out.iterdir()):
                if p.name != "roster.csv":
                    zf.write(p, f"submissions/{p.name}")
    print(f"wrote {len(EXPECTED)} submissions, 4 files to reject, and roster.csv to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
