"""Jupyter server extension ``course.labsettings.formgrader``, enabled only by
the instructor's lab settings (``instructor/jupyter_server_config.json``).

Manual grading renders each submission with MathJax served by the installed
jupyter_server_mathjax extension (``formgrader/mathjax.html.j2``), not a CDN,
so equations render offline.

The course does not use nbgrader's exchange (learners get ``notebooks/``
through git or the LMS; ``course grade import`` places submissions), so the
formgrader's warning that the exchange directory does not exist does not
apply: the course's ``formgrader/manage_assignments.tpl`` (which extends
nbgrader's own) says how submissions arrive instead, and
:class:`NoExchangeList` (set in ``instructor/nbgrader_config.py``) keeps the
formgrader from logging, on every request, that the default exchange folder
is not writable.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.exchange import ExchangeError
from nbgrader.exchange.default.list import ExchangeList

HERE = Path(__file__).resolve().parent


class NoExchangeList(ExchangeList):
    """nbgrader's exchange lister for a course without an exchange: reports
    the exchange as unavailable (so the formgrader offers no release or
    collect) without logging, on every formgrader request, that the default
    exchange folder is not writable."""

    def start(self):
        raise ExchangeError("this course does not use nbgrader's exchange")


def _jupyter_server_extension_points():
    return [{"module": "course.labsettings.formgrader"}]


def patch_templates(webapp) -> bool:
    """Put the course's formgrader templates before nbgrader's; nbgrader's
    stay reachable as ``nbgrader/<name>``. The exporter that renders a
    submission for manual grading finds the course's ``mathjax.html.j2``
    first: MathJax from the jupyter_server_mathjax extension instead of a
    CDN, so equations render offline."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    env = webapp.settings.get("nbgrader_jinja2_env")
    exporter = webapp.settings.get("nbgrader_exporter")
    if env is None or exporter is None:
        return False
    if not getattr(exporter, "_course_patched", False):
        exporter.extra_loaders = [FileSystemLoader(str(HERE / "formgrader")), *exporter.extra_loaders]
        exporter._course_patched = True
    if not getattr(env, "_course_patched", False):
        original = env.loader
        env.loader = ChoiceLoader([
            FileSystemLoader(str(HERE / "formgrader")),
            PrefixLoader({"nbgrader": original}),
            original,
        ])
        env._course_patched = True
    return True


def _load_jupyter_server_extension(serverapp):
    # extensions load in alphabetical order, so nbgrader's formgrader sets up
    # its template environment after this one: patch once all are loaded
    from tornado.ioloop import IOLoop

    webapp = serverapp.web_app
    if not patch_templates(webapp):
        IOLoop.current().add_callback(patch_templates, webapp)


load_jupyter_server_extension = _load_jupyter_server_extension
