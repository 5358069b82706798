"""Jupyter server extension ``course.labsettings.validate``, enabled only by
the learner's lab settings (``learner/jupyter_server_config.py``).

In the learner's lab (``course lab``) it serves nbgrader's *Validate*
  toolbar button (the endpoints ``/nbgrader_version`` and
  ``/assignments/validate`` of nbgrader's own ``validate_assignment``
  extension, which is disabled there). Validation runs the notebook with
  nbgrader's ``Validator`` exactly as nbgrader does, then answers with a
  summary first (exercises passing their visible checks / failing / not
  attempted) and the details of the failing ones only, in the format
  nbgrader's dialog renders;
* in the instructor's lab (``course formgrader``) it replaces the
  formgrader's warning about a missing exchange directory (the course does
  not use nbgrader's exchange: learners get ``notebooks/`` through git or the
  LMS, and ``course grade import`` places submissions) with a note saying so.
"""

from __future__ import annotations

import asyncio
import html
import json
from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

STUB_MARK = "raise NotImplementedError("
CUSTOM = Path(__file__).resolve().parent / "learner" / "custom"


def _jupyter_server_extension_points():
    return [{"module": "course.labsettings.validate"}]


# ---------------------------------------------------------------- validation


def exercise_report(nb) -> list[dict]:
    """Per exercise of an executed notebook: {"number", "title", "status"
    ("passed" | "failing" | "not attempted"), "tests": [(cell, message)]} where
    the tests listed are the failing ones."""
    from .. import nbmeta

    labels = nbmeta.exercise_labels(nb)
    report = []
    for ex in nbmeta.exercises(nb):
        number, title = labels.get(ex.grade_id, ("", ex.grade_id))
        answer = nb.cells[ex.solution_index].source
        failing = []
        for i in ex.test_indices:
            message = _failure(nb.cells[i])
            if message is not None:
                failing.append((nb.cells[i], message))
        if not ex.test_indices:
            continue
        if not failing:
            status = "passed"
        elif STUB_MARK in answer and all(m.startswith("NotImplementedError") for _, m in failing):
            status = "not attempted"
        else:
            status = "failing"
        report.append({"number": number, "title": title, "grade_id": ex.grade_id, "status": status, "tests": failing})
    return report


def _failure(cell) -> str | None:
    """The first line of a test cell's error (or stderr), None if it passed."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            first = (out.get("evalue") or "").strip().splitlines()
            return f"{out.get('ename')}: {first[0] if first else ''}".rstrip(": ")
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            return "wrote to stderr: " + (out.get("text") or "").strip().splitlines()[0]
    if cell.get("execution_count") is None and not cell.get("outputs"):
        return "not run"
    return None


def summary_line(report: list[dict]) -> str:
    n = len(report)
    counts = {s: sum(r["status"] == s for r in report) for s in ("passed", "failing", "not attempted")}
    return (f"{counts['passed']} of {n} exercises pass their visible checks · "
            f"{counts['failing']} failing · {counts['not attempted']} not attempted")


def summary_html(report: list[dict]) -> str:
    rows = []
    for r in report:
        name = f"Exercise {r['number']} ({r['title']})" if r["number"] else r["title"]
        if r["status"] == "passed":
            what = "visible checks pass; hidden tests run when your work is graded"
        elif r["status"] == "not attempted":
            what = "replace the <code>raise NotImplementedError(…)</code> line of its answer cell with your code"
        else:
            what = html.escape(r["tests"][0][1])
        cls = r["status"].replace(" ", "-")
        rows.append(f"<tr class='course-{cls}'><td>{html.escape(name)}</td><td class='course-status'>{r['status']}</td><td>{what}</td></tr>")
    return ("<table class='course-validate-summary'><tr><th>exercise</th><th>status</th><th>what to do</th></tr>"
            + "".join(rows) + "</table>")


def validate_with_summary(path: str, timeout: int = 120) -> dict:
    """nbgrader's validation of the notebook at *path*, reported as
    nbgrader's dialog expects it: ``{}`` when every graded test passes,
    nbgrader's own ``changed``/``type_changed`` answers when locked cells
    were edited, else ``failed``: a summary entry first, then the failing
    test cells of attempted exercises (not attempted ones are only listed)."""
    from nbconvert.filters import ansi2html
    from nbgrader.validator import Validator
    from traitlets.config import Config

    class SummaryValidator(Validator):
        executed = None

        def _preprocess(self, nb):
            nb = super()._preprocess(nb)
            self.executed = nb
            return nb

    config = Config()
    config.Execute.timeout = timeout
    validator = SummaryValidator(config=config)
    results = validator.validate(path)
    if "failed" not in results or validator.executed is None:
        return results
    report = exercise_report(validator.executed)
    if not report:
        return results
    entries = [{
        "source": summary_line(report),
        "error": summary_html(report),
        "raw_error": "\n".join(f"Exercise {r['number']} ({r['title']}): {r['status']}" for r in report),
    }]
    for r in report:
        if r["status"] != "failing":
            continue
        for cell, _ in r["tests"]:
            error = validator._extract_error(cell)
            entries.append({
                "source": f"# Exercise {r['number']} ({r['title']}): this test failed\n{cell.source.strip()}",
                "error": ansi2html(error),
                "raw_error": error,
            })
    return {"failed": entries}


class ValidateHandler(JupyterHandler):
    """``POST /assignments/validate`` (what nbgrader's Validate button calls)."""

    @web.authenticated
    async def post(self):
        try:
            rel = self.get_argument("path")
        except web.MissingArgumentError:
            rel = (self.get_json_body() or {}).get("path", "")
        root = Path(self.settings["server_root_dir"]).resolve()
        target = (root / rel).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            raise web.HTTPError(403 if not target.is_relative_to(root) else 404, "no such notebook")
        try:
            value = await asyncio.to_thread(validate_with_summary, str(target))
            reply = {"success": True, "value": value}
        except Exception as exc:  # shown in the dialog as nbgrader shows its own errors
            self.log.exception("validation of %s failed", target)
            reply = {"success": False, "value": f"{type(exc).__name__}: {exc}"}
        self.finish(json.dumps(reply))


def _load_jupyter_server_extension(serverapp):
    from nbgrader.server_extensions.validate_assignment.handlers import NbGraderVersionHandler

    base = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [
        (url_path_join(base, r"/assignments/validate"), ValidateHandler),
        (url_path_join(base, r"/nbgrader_version"), NbGraderVersionHandler),
        # the stylesheet JupyterLab links with LabApp.custom_css (the dialog's
        # summary); ServerApp.static_custom_path is not configurable
        (url_path_join(base, r"/custom/(custom\.css)"), web.StaticFileHandler, {"path": str(CUSTOM)}),
    ])


load_jupyter_server_extension = _load_jupyter_server_extension
