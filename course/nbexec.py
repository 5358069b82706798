"""Execute notebooks cell by cell in a fresh kernel of *this* interpreter and
report, per cell, whether it failed, what it wrote to stderr and how long it
took. Used by ``course validate``, by the CI gates and by the wrong-answer
tests (which keep one kernel open and swap solution cells in and out)."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from . import nbmeta

DEFAULT_CELL_TIMEOUT = 120


class CurrentEnvKernelManager(AsyncKernelManager):
    """A kernel running ``sys.executable``: never a user-level "python3"
    kernelspec that points at some other Python."""

    @property
    def kernel_spec(self):  # type: ignore[override]
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "--log-level=ERROR", "-f", "{connection_file}"],
            display_name="course (current environment)",
            language="python",
            resource_dir="",
        )


@dataclass
class CellResult:
    index: int
    grade_id: str | None
    is_test: bool
    is_solution: bool
    seconds: float
    error: tuple[str, str] | None = None  # (ename, evalue)
    stderr: str = ""
    outputs: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.stderr

    def describe(self) -> str:
        label = f"cell {self.index}" + (f" [{self.grade_id}]" if self.grade_id else "")
        if self.error:
            ename, evalue = self.error
            first = evalue.strip().splitlines()[0] if evalue.strip() else ""
            return f"{label}: {ename}: {first}"[:300]
        if self.stderr:
            return f"{label}: wrote to stderr: {self.stderr.strip().splitlines()[0]}"[:300]
        return f"{label}: ok"


def _result_of(cell, index: int, seconds: float) -> CellResult:
    error = None
    stderr = []
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            error = (out.ename, out.evalue)
        elif out.output_type == "stream" and out.name == "stderr":
            stderr.append(out.text)
    return CellResult(
        index=index,
        grade_id=nbmeta.grade_id(cell),
        is_test=nbmeta.is_graded_test(cell),
        is_solution=nbmeta.is_solution(cell),
        seconds=seconds,
        error=error,
        stderr="".join(stderr),
        outputs=list(cell.get("outputs", [])),
    )


class KernelSession:
    """One fresh kernel, started in the notebook's folder, that runs cells.

        with KernelSession(path) as ks:
            results = ks.run_all()
            ks.run_source("x = 1")
    """

    def __init__(self, path: Path, timeout: int = DEFAULT_CELL_TIMEOUT):
        self.path = Path(path)
        self.nb = nbmeta.read_notebook(self.path)
        self.timeout = timeout
        self.client = NotebookClient(
            self.nb,
            timeout=timeout,
            allow_errors=True,
            kernel_manager_class=CurrentEnvKernelManager,
            resources={"metadata": {"path": str(self.path.parent.resolve())}},
        )
        self._ctx = None

    def __enter__(self) -> "KernelSession":
        self._ctx = self.client.setup_kernel()
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._ctx.__exit__(*exc)

    def run_cell(self, index: int) -> CellResult:
        """Run notebook cell *index* (markdown cells are skipped)."""
        cell = self.nb.cells[index]
        if cell.cell_type != "code":
            return CellResult(index, nbmeta.grade_id(cell), False, False, 0.0)
        return self._execute(cell, index)

    def run_source(self, source: str, like_index: int | None = None) -> CellResult:
        """Run arbitrary code. With *like_index*, it carries that cell's
        nbgrader metadata (so nbgrader's grading rules can be applied)."""
        meta = {}
        if like_index is not None:
            meta = {"nbgrader": dict(nbmeta.nbgrader_meta(self.nb.cells[like_index]))}
        cell = nbformat.v4.new_code_cell(source, metadata=meta)
        slot = like_index if like_index is not None else 0
        original = self.nb.cells[slot]
        try:
            return self._execute(cell, slot)
        finally:
            self.nb.cells[slot] = original  # nbclient stores the executed cell at its index

    def _execute(self, cell, index: int) -> CellResult:
        cell.outputs = []
        start = time.perf_counter()
        try:
            self.client.execute_cell(cell, index)
        except CellTimeoutError:
            cell.outputs.append(
                nbformat.v4.new_output("error", ename="CellTimeoutError", evalue=f"cell ran longer than {self.timeout} s", traceback=[])
            )
        except DeadKernelError as exc:
            cell.outputs.append(nbformat.v4.new_output("error", ename="DeadKernelError", evalue=str(exc), traceback=[]))
        except CellExecutionError as exc:  # only raised when allow_errors is off; kept for safety
            cell.outputs.append(nbformat.v4.new_output("error", ename="CellExecutionError", evalue=str(exc), traceback=[]))
        return _result_of(cell, index, time.perf_counter() - start)

    def run_all(self, stop_on: str | None = None) -> list[CellResult]:
        results = []
        for i in range(len(self.nb.cells)):
            res = self.run_cell(i)
            results.append(res)
            if stop_on and res.error and res.error[0] in ("DeadKernelError",):
                break
        return results


@dataclass
class NotebookReport:
    path: Path
    kind: str  # "solution" or "learner"
    results: list[CellResult]
    seconds: float
    load_error: str | None = None

    def unexpected(self) -> list[CellResult]:
        """Cells whose failure the notebook's kind does not allow.

        A solution notebook may not fail anywhere nor write to stderr. A
        learner notebook may fail only where an exercise stub is reached
        (``NotImplementedError``), in the stub's own cell or in a cell that
        calls it, such as its graded tests.
        """
        bad = []
        for r in self.results:
            if r.error is None and not r.stderr:
                continue
            if self.kind == "learner" and r.error and r.error[0] == "NotImplementedError":
                continue
            bad.append(r)
        return bad

    def expected_failures(self) -> list[CellResult]:
        return [r for r in self.results if r.error and r not in self.unexpected()]

    @property
    def passed(self) -> bool:
        return self.load_error is None and not self.unexpected()


def execute_notebook(path: Path, kind: str, timeout: int = DEFAULT_CELL_TIMEOUT) -> NotebookReport:
    """Run every cell of *path* in a fresh kernel and classify the failures."""
    start = time.perf_counter()
    with KernelSession(path, timeout=timeout) as ks:
        results = ks.run_all(stop_on="DeadKernelError")
    return NotebookReport(Path(path), kind, results, time.perf_counter() - start)
