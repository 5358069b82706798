"""The ``course`` command: release, validate, lab (and grade, for instructors).

Every subcommand has ``--help``. Problems the user can fix (an unknown
chapter, a missing folder, a corrupt notebook) are reported as one line on
stderr with exit status 1; nothing is written in that case.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from .nbgrader_settings import scripts_on_path
from .paths import CourseError, course_root, select_chapters


def _cmd_release(args) -> int:
    from .nbgrader_settings import gradebook_url
    from .release import release

    root = course_root()
    chapters = select_chapters(args.chapters, root)
    if args.db_url is None:
        (root / "autograder").mkdir(exist_ok=True)
    db_url = args.db_url or gradebook_url(root)
    results = release(chapters, force=args.force, db_url=db_url)
    for res in results:
        state = f"{len(res.written)} file(s) written" if res.written else "up to date"
        print(f"{res.chapter}: {state}")
        for backup in res.backups:
            print(f"  kept your previous version as {backup.relative_to(root)}")
    return 0


def _cmd_validate(args) -> int:
    from .nbexec import execute_notebook
    from .nbmeta import read_notebook

    root = course_root()
    chapters = select_chapters(args.chapters, root)
    kinds = {"solutions": ["solution"], "notebooks": ["learner"], "both": ["solution", "learner"]}[args.which]
    targets = []
    for ch in chapters:
        for kind in kinds:
            path = ch.source_notebook if kind == "solution" else ch.release_notebook
            if not path.is_file():
                raise CourseError(f"{path.relative_to(root)}: missing (run `course release {ch.name}`)")
            read_notebook(path)  # one-line error for a corrupt file, before any kernel starts
            targets.append((path, kind))
    failed = 0
    total = 0.0
    for path, kind in targets:
        report = execute_notebook(path, kind, timeout=args.timeout)
        total += report.seconds
        status = "passed" if report.passed else "FAILED"
        extra = ""
        if kind == "learner":
            extra = f", {len(report.expected_failures())} cell(s) waiting for exercises"
        print(f"{status:6}  {report.seconds:6.1f} s  {path.relative_to(root)}  ({kind}{extra})", flush=True)
        for r in report.unexpected():
            print(f"        failing {r.describe()}")
        if args.verbose:
            slow = sorted(report.results, key=lambda r: r.seconds, reverse=True)[:5]
            print("        slowest cells: " + ", ".join(f"{r.index} ({r.seconds:.1f} s)" for r in slow))
        failed += not report.passed
    print(f"{len(targets) - failed} passed, {failed} failed, {total:.1f} s in all")
    return 1 if failed else 0


LAB_SETTINGS = Path(__file__).resolve().parent / "labsettings"


def lab_environment(role: str, env: dict | None = None) -> dict:
    """The environment of a lab the course starts: the course's lab settings
    for *role* ("learner" or "instructor", a Jupyter configuration folder)
    first on JUPYTER_CONFIG_PATH, for this launch only."""
    env = dict(os.environ if env is None else env)
    extra = [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(LAB_SETTINGS / role), *extra])
    return env


def _lab_command(args, folder: Path) -> list[str]:
    headless = args.no_browser or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform == "darwin")
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={folder}",
        f"--ServerApp.port={args.port}",
        f"--ServerApp.ip={args.ip}",
    ]
    if headless:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI machines often run as root
    return cmd + args.extra


def _cmd_lab(args) -> int:
    root = course_root()
    folder = root / ("solutions" if args.solutions else "notebooks")
    if args.chapter:
        from .paths import find_chapter

        ch = find_chapter(args.chapter, root)
        folder = ch.source_dir if args.solutions else ch.release_dir
    if not folder.is_dir():
        raise CourseError(f"{folder}: missing (run `course release`)")
    # learners get nbgrader's Validate button (with a summary), not the
    # instructor's or the exchange's panels, and no news popup:
    # course/labsettings/learner
    cmd = _lab_command(args, folder)
    # the command palette's "Validate Notebook" (a prebuilt extension of the course's)
    cmd.insert(3, f"--LabApp.extra_labextensions_path={LAB_SETTINGS / 'labextensions'}")
    print(f"Starting JupyterLab on {folder} (the URL to open is printed below; Ctrl-C stops it)", flush=True)
    os.execve(sys.executable, cmd, lab_environment("learner"))
    return 0  # not reached


def _cmd_formgrader(args) -> int:
    from .nbgrader_settings import gradebook_url

    root = course_root()
    autograder = root / "autograder"
    if not (autograder / "nbgrader_config.py").is_file():
        raise CourseError(f"{autograder / 'nbgrader_config.py'}: missing (the instructor's nbgrader course root)")
    gradebook_url(root)  # a one-line error now for a config nbgrader could not read
    # nbgrader's formgrader on autograder/ (the course root nbgrader finds in
    # its working folder), in a JupyterLab serving the checkout so that its
    # links to solutions/ and notebooks/ open: course/labsettings/instructor
    cmd = _lab_command(args, root)
    os.chdir(autograder)
    print(f"Starting nbgrader's formgrader on {autograder} (open the URL printed below; "
          "JupyterLab on the same server is at /lab; Ctrl-C stops it)", flush=True)
    os.execve(sys.executable, cmd, lab_environment("instructor"))
    return 0  # not reached


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course",
        description="Deep learning from scratch: release, validate and open the course notebooks; grade submissions.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("release", help="regenerate the learner notebooks (notebooks/) from solutions/ with nbgrader",
                       description="Regenerate notebooks/<chapter> from solutions/<chapter> through nbgrader's generate_assignment. "
                                   "Files you edited are never overwritten unless --force is given (then a backup is kept).")
    p.add_argument("chapters", nargs="*", metavar="CHAPTER", help="chapter folder name, number or title word (default: all)")
    p.add_argument("--force", action="store_true", help="replace learner notebooks that were edited, keeping a .bak copy")
    p.add_argument("--db-url", default=None, help="nbgrader gradebook URL (default: c.CourseDirectory.db_url from autograder/nbgrader_config.py, else sqlite:///autograder/gradebook.db)")
    p.set_defaults(func=_cmd_release)

    p = sub.add_parser("validate", help="execute notebooks top to bottom and report each one",
                       description="Execute notebooks in a fresh kernel and print, per notebook, passed/failed, failing cells and seconds. "
                                   "Solutions must run without any error or stderr; learner versions may fail only at exercise stubs (NotImplementedError).")
    p.add_argument("chapters", nargs="*", metavar="CHAPTER", help="chapter folder name, number or title word (default: all)")
    p.add_argument("--which", choices=["solutions", "notebooks", "both"], default="both", help="which versions to run (default: both)")
    p.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell (default: 120)")
    p.add_argument("-v", "--verbose", action="store_true", help="also list the slowest cells")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("lab", help="start JupyterLab on notebooks/",
                       description="Start JupyterLab on notebooks/ (or one chapter's folder; --solutions for the complete chapters). "
                                   "Without a display it runs headless and prints the URL.")
    p.add_argument("chapter", nargs="?", help="open this chapter's folder only")
    p.add_argument("--port", type=int, default=8888, help="port (default: 8888, or the next free one)")
    p.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--no-browser", action="store_true", help="do not try to open a browser")
    p.add_argument("--solutions", action="store_true", help="open the complete chapters in solutions/ instead (teachers, maintainers)")
    p.add_argument("extra", nargs=argparse.REMAINDER, help="further options passed to jupyter lab after --")
    p.set_defaults(func=_cmd_lab)

    p = sub.add_parser("formgrader", help="open nbgrader's formgrader on autograder/ (instructors)",
                       description="Start JupyterLab with nbgrader's formgrader on the course root autograder/ (the gradebook "
                                   "`course grade` writes): manual grading, feedback, students, export. Without a display it runs "
                                   "headless and prints the URL.")
    p.add_argument("--port", type=int, default=8888, help="port (default: 8888, or the next free one)")
    p.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--no-browser", action="store_true", help="do not try to open a browser")
    p.add_argument("extra", nargs=argparse.REMAINDER, help="further options passed to jupyter lab after --")
    p.set_defaults(func=_cmd_formgrader)

    try:
        from .grading.cli import add_parser as add_grade_parser
    except ImportError:
        add_grade_parser = None
    if add_grade_parser is not None:
        add_grade_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    scripts_on_path()
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "extra", None) and args.extra[:1] == ["--"]:
        args.extra = args.extra[1:]
    try:
        return args.func(args) or 0
    except CourseError as exc:
        print(f"course {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"course {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
