"""The command line that starts a learner's kernel: bubblewrap (no network, a
read-only system, the course checkout hidden except the ``course`` package
and the Python environment, one writable scratch folder) around the resource
limits of :mod:`course.grading.limits`."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import course


class SandboxUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Limits:
    cell_timeout: int = 30  # seconds per cell, wall clock
    notebook_timeout: int = 300  # seconds per notebook, wall clock
    memory_mb: int = 6000  # address space of the kernel
    cpu_seconds: int = 300  # CPU time of the kernel


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def kernel_argv(scratch: Path, course_root: Path, limits: Limits, sandbox: bool) -> list[str]:
    """argv for a kernel whose connection file is ``{connection_file}``."""
    python = sys.executable
    inner = [
        python, "-m", "course.grading.limits",
        "--memory-mb", str(limits.memory_mb), "--cpu-seconds", str(limits.cpu_seconds), "--",
        python, "-m", "ipykernel_launcher", "--log-level=ERROR", "-f", "{connection_file}",
    ]
    if not sandbox:
        return inner
    bwrap = bwrap_path()
    if not bwrap:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    root = Path(course_root).resolve()
    package = Path(course.__file__).resolve().parent
    # hidden: the course being graded (solutions/, autograder/ with the
    # gradebook and submissions, tests/), and the checkout this `course`
    # package runs from when that is another course with answer keys
    hidden = [Path("/tmp"), Path("/root"), Path("/home"), root]
    if package.parent != root and (package.parent / "solutions").is_dir():
        hidden.append(package.parent)
    argv = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for path in hidden:
        argv += ["--tmpfs", str(path)]
    # what the kernel may see again, read-only: the course package and the Python environment
    # (the interpreter may live under a hidden folder such as /root/.pyenv)
    exposed = [package]
    for prefix in {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(os.path.realpath(sys.executable)).parent.parent}:
        if any(prefix == h or h in prefix.parents for h in hidden):
            exposed.append(prefix)
    for path in exposed:
        argv += ["--ro-bind", str(path), str(path)]
    argv += [
        "--bind", str(scratch), str(scratch),
        "--chdir", str(scratch),
        "--unshare-all",  # network, pid, ipc, uts, cgroup namespaces
        "--die-with-parent",  # killing bwrap (kernel shutdown) kills everything inside
        "--new-session",
        "--setenv", "HOME", str(scratch),
        "--setenv", "JUPYTER_RUNTIME_DIR", str(scratch),
        "--setenv", "MPLCONFIGDIR", str(scratch),
        "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
        # the kernel imports the very `course` package that is grading (and
        # exposed above), not whichever one its own sys.path would find first
        "--setenv", "PYTHONPATH", os.pathsep.join([str(package.parent), *filter(None, [os.environ.get("PYTHONPATH")])]),
        # the parent's pid means nothing in the new pid namespace; ipykernel
        # would take it for a dead parent and exit
        "--unsetenv", "JPY_PARENT_PID",
        "--",
    ]
    return argv + inner
