"""``course grade`` subcommands."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..paths import CourseError, course_root, select_chapters
from .sandbox import Limits


def _limits(args) -> Limits:
    return Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                  memory_mb=args.memory_mb, cpu_seconds=args.cpu_seconds)


def _import(args, root: Path) -> None:
    from .grade import autograder_dir, save_roster
    from .importer import DEFAULT_PATTERN, import_submissions, load_roster

    roster = load_roster(Path(args.roster)) if args.roster else {}
    chapters = select_chapters(args.chapter, root)
    ag = autograder_dir(root)
    items = import_submissions(Path(args.source), ag, chapters, roster, args.pattern or DEFAULT_PATTERN)
    save_roster(ag, roster)
    counts = {}
    for it in items:
        counts[it.status] = counts.get(it.status, 0) + 1
        if it.status == "rejected":
            print(f"rejected  {it.name}: {it.reason}")
        elif args.verbose or it.reason:
            print(f"{it.status:9} {it.name} -> {it.learner}/{it.chapter}" + (f" ({it.reason})" if it.reason else ""))
    print("import: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) if counts else "import: no files found")


def _run(args, root: Path) -> None:
    from .grade import run

    chapters = select_chapters(args.chapters, root) if args.chapters else None
    run(root, chapters, args.workers, _limits(args), sandbox=not args.unsafe_no_sandbox, force=args.force)


def cmd_grade(args) -> int:
    root = course_root()
    if args.grade_cmd == "import":
        _import(args, root)
    elif args.grade_cmd == "run":
        _run(args, root)
    elif args.grade_cmd == "report":
        from .grade import write_reports_and_feedback

        paths = write_reports_and_feedback(root)
        print(f"{paths['learners']} learners, mean total {paths['mean']:.2f}; reports in "
              f"{paths['grades'].parent.relative_to(root)}/, feedback in autograder/feedback/")
    elif args.grade_cmd == "all":
        _import(args, root)
        args.chapters = args.chapter
        _run(args, root)
    return 0


def _add_run_options(p) -> None:
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parallel grading processes (default: one per core)")
    p.add_argument("--cell-timeout", type=int, default=30, help="seconds per cell (default: 30)")
    p.add_argument("--notebook-timeout", type=int, default=300, help="seconds per notebook (default: 300)")
    p.add_argument("--memory-mb", type=int, default=6000, help="memory (address space) per submission in MiB (default: 6000)")
    p.add_argument("--cpu-seconds", type=int, default=300, help="CPU seconds per submission (default: 300)")
    p.add_argument("--force", action="store_true", help="grade again even submissions that did not change")
    p.add_argument("--unsafe-no-sandbox", action="store_true", help="run learner code without bubblewrap (only for code you trust)")


def _add_import_options(p) -> None:
    p.add_argument("source", help="a folder of notebooks or an LMS zip")
    p.add_argument("--roster", help="CSV with an 'id' column (and first_name, last_name, email)")
    p.add_argument("--pattern", help="regular expression with named groups 'learner' and 'chapter' matched on file names")
    p.add_argument("--chapter", action="append", help="only import this chapter (repeatable)")
    p.add_argument("-v", "--verbose", action="store_true", help="list every file, not only problems")


def add_parser(sub) -> None:
    p = sub.add_parser("grade", help="grade learners' notebooks safely, in parallel, with feedback and reports",
                       description="Import submissions, grade them in a sandbox (bubblewrap) in parallel into nbgrader's gradebook, "
                                   "and write per-learner feedback (without hidden test code) and class reports.")
    gsub = p.add_subparsers(dest="grade_cmd", metavar="STEP")
    gsub.required = True
    pi = gsub.add_parser("import", help="place a folder or LMS zip of notebooks into autograder/submitted/",
                         description="Import notebooks whose file names carry the learner id and the chapter "
                                     "(default pattern: <learner>_<chapter>.ipynb, LMS ids and ' (1)' suffixes tolerated).")
    _add_import_options(pi)
    pr = gsub.add_parser("run", help="grade what is new or changed in autograder/submitted/",
                         description="Grade new or changed submissions; unchanged ones keep their grade. Writes the gradebook, "
                                     "autograder/feedback/ and autograder/reports/.")
    pr.add_argument("chapters", nargs="*", metavar="CHAPTER", help="only these chapters (default: all)")
    _add_run_options(pr)
    gsub.add_parser("report", help="rewrite reports and feedback from the gradebook (after manual grading in the formgrader)",
                    description="Rewrite autograder/reports/ and autograder/feedback/ from nbgrader's gradebook without grading: "
                                "scores adjusted in the formgrader's Manual Grading reach them.")
    pa = gsub.add_parser("all", help="import, then grade, then report: one command for a class",
                         description="course grade import SOURCE, then course grade run.")
    _add_import_options(pa)
    _add_run_options(pa)
    p.set_defaults(func=cmd_grade)
