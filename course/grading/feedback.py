"""Per-learner feedback as HTML: each graded test, passed or failed, its
points and the first line of its error. Never the code of hidden tests
(nbgrader's own feedback shows it)."""

from __future__ import annotations

import html
from pathlib import Path


def render(learner: str, chapter: str, state: dict) -> str:
    rows = []
    for t in state["result"]["tests"]:
        ok = t["passed"]
        kind = "hidden" if t["hidden"] else "visible"
        msg = "" if ok else html.escape(t["message"])
        rows.append(
            f"<tr class='{'pass' if ok else 'fail'}'><td>{html.escape(t['grade_id'])}</td><td>{kind}</td>"
            f"<td>{'passed' if ok else 'failed'}</td><td>{t['points']:g} / {t['max']:g}</td><td>{msg}</td></tr>"
        )
    res = state["result"]
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in res.get("notes", []))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(chapter)}: feedback for {html.escape(learner)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}}tr.pass td:nth-child(3){{color:#060}}
tr.fail td:nth-child(3){{color:#a00;font-weight:bold}}</style></head><body>
<h1>{html.escape(chapter)} — {html.escape(learner)}</h1>
<p><strong>Score: {res['score']:g} / {res['max_score']:g}</strong>. {html.escape(res['reason'])}</p>
{f'<ul>{notes}</ul>' if notes else ''}
<table><tr><th>graded test</th><th>kind</th><th>result</th><th>points</th><th>what went wrong</th></tr>
{''.join(rows)}
</table>
<p>Hidden tests check more cases than the visible ones; their code is not shown.</p>
</body></html>
"""


def write(feedback_dir: Path, learner: str, chapter: str, state: dict) -> Path:
    out = Path(feedback_dir) / learner / chapter / f"{chapter}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(learner, chapter, state), encoding="utf-8")
    return out
