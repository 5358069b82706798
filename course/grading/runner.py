"""Grade one submission: assemble it, run it cell by cell in a sandboxed
kernel, guard and score the graded cells. Runs in a worker process; returns a
plain dict (no gradebook access here)."""

from __future__ import annotations

import copy
import json
import shutil
import signal
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .. import nbmeta
from .assemble import assemble
from .guard import CHECK, INSTALL
from .sandbox import Limits, kernel_argv

MAX_MESSAGE = 300
SIGNAL_REASONS = {
    signal.SIGKILL: "was killed (SIGKILL: out of memory, or a time limit)",
    signal.SIGSEGV: "crashed (segmentation fault)",
    signal.SIGXCPU: "used up its CPU time limit",
    signal.SIGABRT: "aborted (SIGABRT)",
    signal.SIGBUS: "crashed (bus error)",
    signal.SIGXFSZ: "exceeded the file size limit",
}


def _kernel_manager(argv: list[str], scratch: Path) -> AsyncKernelManager:
    class SandboxedKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):  # type: ignore[override]
            return KernelSpec(argv=argv, display_name="sandboxed", language="python", resource_dir="")

    km = SandboxedKernelManager(transport="ipc", ip=str(scratch / "kernel"))
    km.connection_file = str(scratch / "connection.json")
    return km


def _exit_reason(km: AsyncKernelManager) -> str:
    proc = getattr(getattr(km, "provisioner", None), "process", None)
    code = proc.poll() if proc is not None else None
    if code is None:
        return "the kernel died"
    # bubblewrap reports a child killed by signal N as exit status 128 + N
    sig = -code if code < 0 else code - 128 if code > 128 else None
    if sig in SIGNAL_REASONS:
        return f"the kernel {SIGNAL_REASONS[sig]}"
    if sig:
        return f"the kernel was killed by signal {sig}"
    return f"the kernel exited (status {code}: sys.exit/os._exit?)"


def _error_of(outputs) -> str | None:
    for out in outputs:
        if out.get("output_type") == "error":
            first = (out.get("evalue") or "").strip().splitlines()
            return f"{out.get('ename')}: {first[0] if first else ''}"[:MAX_MESSAGE]
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            return "wrote to stderr: " + (out.get("text") or "").strip()[:200]
    return None


def grade_submission(source_path: str, submission_path: str, course_root: str, limits: Limits, sandbox: bool = True) -> dict:
    """Return {"scores": {grade_id: points}, "max": {grade_id: points},
    "tests": [{grade_id, passed, points, max, message, hidden}], "reason": str, "notes": [...]}."""
    source = nbformat.read(source_path, as_version=4)
    tests = [c for c in source.cells if nbmeta.is_graded_test(c)]
    maxima = {nbmeta.grade_id(c): nbmeta.points(c) for c in tests}
    hidden = {nbmeta.grade_id(c): "BEGIN HIDDEN TESTS" in c.source and not _has_visible_code(c.source) for c in tests}
    result = {
        "scores": {gid: 0.0 for gid in maxima},
        "max": maxima,
        "tests": [],
        "notes": [],
        "reason": "",
        "seconds": 0.0,
    }
    start = time.perf_counter()
    try:
        submission = nbformat.read(submission_path, as_version=4)
    except Exception as exc:  # importer normally catches this first
        result["reason"] = f"not a readable notebook ({type(exc).__name__})"
        return result
    built = assemble(source, submission)
    result["notes"] = built.notes
    if built.answered == 0:
        result["reason"] = "no answers: the notebook has none of the exercise cells" + (
            " (it is empty)" if not submission.get("cells") else ""
        )
        result["tests"] = [
            {"grade_id": gid, "passed": False, "points": 0.0, "max": maxima[gid], "message": "not run: no answers", "hidden": hidden[gid]}
            for gid in maxima
        ]
        result["notebook"] = graded_notebook(built.nb, result["tests"])
        _finish(result, start)
        return result

    scratch = Path(tempfile.mkdtemp(prefix="course-grade-"))
    stop_reason = None
    try:
        # non-notebook files of the chapter (data), never the notebooks themselves
        for item in Path(source_path).parent.iterdir():
            if item.is_file() and item.suffix != ".ipynb":
                shutil.copy(item, scratch / item.name)
        argv = kernel_argv(scratch, Path(course_root), limits, sandbox)
        km = _kernel_manager(argv, scratch)
        client = NotebookClient(
            built.nb, km=km, timeout=limits.cell_timeout, allow_errors=True,
            interrupt_on_timeout=False, shutdown_kernel="immediate",
            resources={"metadata": {"path": str(scratch)}},
        )
        deadline = time.monotonic() + limits.notebook_timeout
        setup_index = next(i for i, c in enumerate(built.nb.cells) if c.cell_type == "code")
        tampered = None
        log = open(scratch / "kernel.log", "wb")
        with client.setup_kernel(stdout=log, stderr=log):
            for i, cell in enumerate(built.nb.cells):
                if cell.cell_type != "code":
                    continue
                if time.monotonic() > deadline:
                    stop_reason = f"the notebook ran longer than its {limits.notebook_timeout} s limit; stopped before cell {i}"
                    break
                is_test = nbmeta.is_graded_test(cell)
                try:
                    if is_test:
                        guard = nbformat.v4.new_code_cell(CHECK)
                        client.execute_cell(guard, i, store_history=False)
                        problem = _error_of(guard.outputs)
                        if problem and tampered is None:
                            tampered = problem.split("tampered: ", 1)[-1]
                        built.nb.cells[i] = cell  # nbclient stored the guard at this index
                    if is_test and tampered:
                        cell.outputs = [nbformat.v4.new_output("error", ename="Tampering", evalue=tampered, traceback=[])]
                    else:
                        client.execute_cell(cell, i, store_history=not is_test)
                    if i == setup_index:
                        install = nbformat.v4.new_code_cell(INSTALL)
                        client.execute_cell(install, i, store_history=False)
                        built.nb.cells[i] = cell
                        if _error_of(install.outputs):
                            stop_reason = "the grading guard could not be installed: " + _error_of(install.outputs)
                            break
                except CellTimeoutError:
                    stop_reason = f"cell {i} ran longer than the {limits.cell_timeout} s limit (an infinite loop?); the kernel was stopped"
                    cell.outputs.append(nbformat.v4.new_output("error", ename="Timeout", evalue=stop_reason, traceback=[]))
                    break
                except DeadKernelError:
                    stop_reason = f"{_exit_reason(km)} in cell {i}; later cells were not run"
                    cell.outputs.append(nbformat.v4.new_output("error", ename="DeadKernel", evalue=stop_reason, traceback=[]))
                    break
        # score
        for cell in built.nb.cells:
            if not nbmeta.is_graded_test(cell):
                continue
            gid = nbmeta.grade_id(cell)
            ran = bool(cell.get("outputs")) or cell.get("execution_count") is not None
            message = _error_of(cell.get("outputs", []))
            passed = ran and message is None
            if not ran:
                message = "not run: " + (stop_reason or "an earlier failure")
            result["scores"][gid] = maxima[gid] if passed else 0.0
            result["tests"].append({
                "grade_id": gid, "passed": passed, "points": result["scores"][gid], "max": maxima[gid],
                "message": message or "", "hidden": hidden[gid],
            })
        failed = [t["grade_id"] for t in result["tests"] if not t["passed"]]
        if tampered:
            result["reason"] = f"tampering detected ({tampered}); the affected tests scored 0"
        elif stop_reason:
            result["reason"] = stop_reason
        elif failed:
            result["reason"] = f"{len(failed)} of {len(maxima)} graded tests failed: " + ", ".join(failed)
        else:
            result["reason"] = "all graded tests passed"
    except Exception as exc:
        result["reason"] = f"grading error: {type(exc).__name__}: {exc}"[:MAX_MESSAGE]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if len(result["tests"]) < len(maxima):  # a grading error before scoring
        done = {t["grade_id"] for t in result["tests"]}
        result["tests"] += [{"grade_id": gid, "passed": False, "points": 0.0, "max": maxima[gid],
                             "message": "not run: " + result["reason"], "hidden": hidden[gid]} for gid in maxima if gid not in done]
    result["notebook"] = graded_notebook(built.nb, result["tests"])
    _finish(result, start)
    return result


def graded_notebook(nb, tests: list[dict]) -> dict:
    """The executed notebook as ``nbgrader autograde`` keeps it in
    ``autograded/`` (outputs limited as nbgrader's LimitOutput does), with
    every graded test cell's outputs agreeing with its verdict: a failed
    test without an error output (not run, tampering, stderr only) gets one
    naming the reason, so nbgrader's own scoring of the file
    (``nbgrader.utils.determine_grade``) gives the same points."""
    from nbgrader.preprocessors import LimitOutput

    nb = copy.deepcopy(nb)
    verdict = {t["grade_id"]: t for t in tests}
    for cell in nb.cells:
        if not nbmeta.is_graded_test(cell):
            continue
        t = verdict.get(nbmeta.grade_id(cell))
        if t is None:
            continue
        outputs = cell.get("outputs", [])
        if t["passed"]:
            continue
        if not any(o.get("output_type") == "error" for o in outputs):
            ename, _, evalue = (t["message"] or "failed").partition(": ")
            if not evalue:
                ename, evalue = "GradingError", t["message"] or "failed"
            outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]))
            cell.outputs = outputs
    nb, _ = LimitOutput()(nb, {})
    return json.loads(nbformat.writes(nb))


def _finish(result: dict, start: float) -> None:
    result["seconds"] = round(time.perf_counter() - start, 2)
    result["score"] = sum(result["scores"].values())
    result["max_score"] = sum(result["max"].values())


def _has_visible_code(source: str) -> bool:
    hidden = False
    for line in source.splitlines():
        s = line.strip()
        if "### BEGIN HIDDEN TESTS" in s:
            hidden = True
        elif "### END HIDDEN TESTS" in s:
            hidden = False
        elif s and not s.startswith("#") and not hidden:
            return True
    return False
