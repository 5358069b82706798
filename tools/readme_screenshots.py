#!/usr/bin/env python3
"""Regenerate the README's screenshots (docs/screenshots/) from the browser
tests: runs tests/test_browser.py with its screenshots in a temporary
folder, then copies the chosen steps here as small palette PNGs.

    .venv/bin/python tools/readme_screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
# README name: (test, step)
CHOSEN = {
    "learner-notebook.png": ("test_released_notebook_opens_without_the_modified_mark", "01_notebook_opened"),
    "learner-run-all.png": ("test_run_all_stops_at_the_first_exercise_with_its_label", "01_run_all_stopped"),
    "learner-validate.png": ("test_solve_an_exercise_in_the_page_then_validate_shows_a_summary_first", "03_validate_summary"),
    "instructor-formgrader.png": ("test_formgrader_command_opens_configured_without_inapplicable_warnings", "01_formgrader_manage_assignments"),
    "instructor-submissions.png": ("test_formgrader_lists_every_submission_as_graded", "01_manage_submissions"),
    "instructor-manual-grading.png": ("test_manual_grading_opens_a_submission_with_equations_and_adjusts_a_score", "02_submission_with_rendered_equations"),
    "feedback.png": ("test_feedback_page_says_not_attempted", "01_feedback_not_attempted"),
}


def main() -> int:
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="course-shots-") as tmp:
        env = dict(os.environ, COURSE_SCREENSHOTS=tmp)
        proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "-q",
                               str(ROOT / "tests" / "test_browser.py")], env=env, cwd=ROOT)
        if proc.returncode:
            print("readme_screenshots: the browser tests failed; nothing copied", file=sys.stderr)
            return proc.returncode
        OUT.mkdir(parents=True, exist_ok=True)
        for name, (test, step) in CHOSEN.items():
            img = Image.open(Path(tmp) / test / f"{step}.png").convert("RGB")
            img.quantize(colors=96, method=Image.Quantize.MEDIANCUT).save(OUT / name, optimize=True)
            print(f"{OUT.relative_to(ROOT) / name}: {(OUT / name).stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
