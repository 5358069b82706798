"""Per-learner feedback as HTML: each graded test, passed or failed, its
points and the first line of its error. Never the code of hidden tests
(nbgrader's own feedback shows it)."""

from __future__ import annotations

import html
import re
from pathlib import Path

_NOT_ATTEMPTED = re.compile(r"(Exercise \d+\.\d+ \(.*?\)) is not attempted yet")


def what_went_wrong(message: str) -> str:
    """The feedback's wording of a failed test: a stub that still raises
    ``NotImplementedError`` reads "not attempted" (naming the exercise when
    the stub does), never a bare ``NotImplementedError:``."""
    m = _NOT_ATTEMPTED.search(message or "")
    if m:
        return f"not attempted ({m.group(1)})"
    if (message or "").startswith("NotImplementedError") or "no answer was submitted" in (message or ""):
        return "not attempted"
    if message == "not run: no answers":
        return "not attempted (the notebook has no answers)"
    return message or ""


def render(learner: str, chapter: str, state: dict) -> str:
    rows = []
    for t in state["result"]["tests"]:
        ok = t["passed"]
        kind = "hidden" if t["hidden"] else "visible"
        wording = "" if ok else what_went_wrong(t["message"])
        msg = html.escape(wording)
        result = "passed" if ok else "not attempted" if wording.startswith("not attempted") else "failed"
        if t.get("adjusted"):
            msg = (msg + " " if msg else "") + "(points set by the instructor)"
        rows.append(
            f"<tr class='{'pass' if ok else 'open' if result == 'not attempted' else 'fail'}'><td>{html.escape(t['grade_id'])}</td><td>{kind}</td>"
            f"<td>{result}</td><td>{t['points']:g} / {t['max']:g}</td><td>{msg}</td></tr>"
        )
    res = state["result"]
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in res.get("notes", []))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(chapter)}: feedback for {html.escape(learner)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}}tr.pass td:nth-child(3){{color:#060}}
tr.fail td:nth-child(3){{color:#a00;font-weight:bold}}tr.open td:nth-child(3){{color:#a60}}</style></head><body>
<h1>{html.escape(chapter)} — {html.escape(learner)}</h1>
<p><strong>Score: {res['score']:g} / {res['max_score']:g}</strong>. {html.escape(_reason(res))}</p>
{f'<ul>{notes}</ul>' if notes else ''}
<table><tr><th>graded test</th><th>kind</th><th>result</th><th>points</th><th>what went wrong</th></tr>
{''.join(rows)}
</table>
<p>Hidden tests check more cases than the visible ones; their code is not shown.</p>
</body></html>
"""


def _reason(res: dict) -> str:
    """The result's one-line reason, with a count of not-attempted tests
    instead of listing them among the failures."""
    tests = res.get("tests", [])
    failed = [t for t in tests if not t["passed"]]
    if not failed or not res.get("reason", "").startswith(f"{len(failed)} of "):
        return res.get("reason", "")
    open_ = [t for t in failed if what_went_wrong(t["message"]).startswith("not attempted")]
    wrong = [t for t in failed if t not in open_]
    parts = []
    if wrong:
        parts.append(f"{len(wrong)} failed: " + ", ".join(t["grade_id"] for t in wrong))
    if open_:
        parts.append(f"{len(open_)} not attempted")
    return f"{len(tests) - len(failed)} of {len(tests)} graded tests passed; " + "; ".join(parts)


def write(feedback_dir: Path, learner: str, chapter: str, state: dict) -> Path:
    out = Path(feedback_dir) / learner / chapter / f"{chapter}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(learner, chapter, state), encoding="utf-8")
    return out
