"""The course in a real browser: Debian's Chromium driven by Playwright,
against JupyterLab started the way the README starts it (`course lab`, and
`course formgrader` for the instructor), on a tiny synthetic course
(tests/tiny_course.py) so that a kernel starts in a second.

Learner: the lab offers no menu entry that fails (no Nbgrader menu, no
formgrader, assignment or course list, no Create Assignment panel), asks
nothing about news, opens a released notebook without the unsaved-changes
mark, stops Run All at the first exercise with its labelled message, runs an
exercise solved through the page, and Validate (toolbar button or command
palette) answers with a summary first.
Instructor: after `course grade`, the formgrader opens configured and
without inapplicable warnings, lists every submission as graded, opens one
for manual grading with its equations rendered by MathJax served offline,
and a score adjusted there reaches `course grade report`; the feedback page
says "not attempted".

Every test fails on any JavaScript error in the page's console and writes a
screenshot of each step into ``<screenshots>/<test name>/`` (the folder is
printed; set COURSE_SCREENSHOTS to choose it, e.g. for
tools/readme_screenshots.py). One JupyterLab server per role for the
module."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import tiny_course

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed (pip install -e .[dev])"),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)"),
]

CH = tiny_course.CHAPTER
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`course lab` / `course formgrader` as a user runs it, in a fresh home
    (no Jupyter settings of its own), headless: the URL it prints and its log."""

    def __init__(self, root: Path, home: Path, command: str):
        self.port = free_port()
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        env = tiny_course.course_env(root, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
                                     JUPYTER_DATA_DIR=str(home / ".local/share/jupyter"),
                                     JUPYTER_RUNTIME_DIR=str(home / ".local/share/jupyter/runtime"))
        env.pop("DISPLAY", None)
        env.pop("JUPYTER_CONFIG_PATH", None)
        self.start = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "course", command, "--port", str(self.port)], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: list[str] = []
        self.url = None
        deadline = time.time() + 180
        while self.url is None and time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            m = re.search(rf"(http://127\.0\.0\.1:{self.port}/\S*\?token=\w+)", line)
            if m:
                self.url = m.group(1)
        assert self.url, "".join(self.lines)[-3000:]
        self.token = self.url.split("token=")[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.seconds = time.perf_counter() - self.start
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def shots_root(tmp_path_factory) -> Path:
    root = Path(os.environ.get("COURSE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict:
    """The tiny course, released (the learner's)."""
    tmp = tmp_path_factory.mktemp("browser")
    return {"learner": tiny_course.make(tmp / "learner"), "tmp": tmp}


@pytest.fixture(scope="module")
def graded(tiny) -> Path:
    """A copy of the tiny course after `course grade all` on three learners."""
    root = tiny_course.make(tiny["tmp"] / "instructor")
    folder = tiny_course.write_class(root, tiny["tmp"] / "class")
    proc = tiny_course.grade(root, folder)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return root


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def lab(tiny):
    server = Server(tiny["learner"], tiny["tmp"] / "home-learner", "lab")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def formgrader(tiny, graded):
    server = Server(graded, tiny["tmp"] / "home-instructor", "formgrader")
    yield server
    server.stop()


class Page:
    """A browser tab that records console errors, requests that leave the
    machine, and writes numbered screenshots into the test's folder."""

    def __init__(self, browser, folder: Path):
        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.page = browser.new_page(viewport=VIEWPORT)
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("request", self._request)
        self.n = 0

    def _request(self, request):
        url = request.url
        if not (url.startswith("http://127.0.0.1") or url.startswith("ws://127.0.0.1") or url.startswith("data:")
                or url.startswith("blob:") or url.startswith("file:")):
            self.outside.append(url)

    def shot(self, name: str) -> Path:
        self.n += 1
        path = self.folder / f"{self.n:02d}_{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def close(self):
        self.page.close()


@pytest.fixture()
def tab(request, browser, shots_root):
    folder = shots_root / request.node.name
    t = Page(browser, folder)
    print(f"screenshots: {folder}")
    yield t
    t.close()
    assert not t.errors, "JavaScript errors in the page:\n" + "\n".join(t.errors)
    assert not t.outside, f"requests that left the machine: {t.outside}"


def open_notebook(tab: Page, server: Server, path: str):
    page = tab.page
    page.goto(f"{server.base}/lab/tree/{path}?token={server.token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)


def code_cell(page, text: str):
    return page.locator(".jp-CodeCell").filter(has=page.locator(".cm-content", has_text=text)).first


def replace_source(page, cell, source: str):
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)  # as typed, without the editor's auto-indent


def wait_idle(page, timeout=60_000):
    page.wait_for_function(
        "() => !document.querySelector('.jp-Notebook .jp-InputArea-prompt') || "
        "![...document.querySelectorAll('.jp-Notebook .jp-InputArea-prompt')].some(p => p.textContent.includes('[*]'))",
        timeout=timeout)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=timeout)


# ------------------------------------------------------------------ learner


def test_learner_lab_offers_only_what_works_and_asks_nothing(lab, tab):
    page = tab.page
    page.goto(lab.url)
    page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
    page.wait_for_selector(".jp-DirListing-item", timeout=60_000)
    time.sleep(1.5)  # the news question, if any, is asked right after start
    tab.shot("lab_opened")
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Nbgrader" not in menus, menus
    assert menus == ["File", "Edit", "View", "Run", "Kernel", "Tabs", "Settings", "Help"], menus
    assert page.locator(".Toastify__toast").count() == 0, page.locator(".Toastify__toast").all_inner_texts()
    # and it never will: news and update checks are off in the lab's settings
    settings = json.loads(urllib.request.urlopen(
        f"{lab.base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={lab.token}", timeout=30).read())
    defaults = {k: v.get("default") for k, v in settings["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False, defaults
    news = json.loads(urllib.request.urlopen(f"{lab.base}/lab/api/news?token={lab.token}", timeout=30).read())
    assert news == {"news": []}, news
    # no instructor panel in the sidebars, no exchange panels, no formgrader commands
    sidebar = " ".join(page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all("els => els.map(e => e.title + ' ' + e.getAttribute('data-id'))"))
    assert "Create Assignment" not in sidebar and "nbgrader" not in sidebar.lower(), sidebar
    page.keyboard.press("Control+Shift+c")
    page.wait_for_selector(".lm-CommandPalette-input")
    for word in ("Formgrader", "Assignment List", "Course List"):
        page.fill(".lm-CommandPalette-input", word)
        time.sleep(0.3)
        found = page.locator(".lm-CommandPalette-item").all_inner_texts()
        assert not [f for f in found if word.lower() in f.lower()], (word, found)
    tab.shot("command_palette_without_instructor_commands")
    page.keyboard.press("Escape")
    # the endpoints behind the disabled panels are not served either
    for path in ("formgrader", "assignments", "courses"):
        try:
            status = urllib.request.urlopen(f"{lab.base}/{path}?token={lab.token}", timeout=30).status
        except urllib.error.HTTPError as exc:
            status = exc.code
        assert status == 404, (path, status)
    assert "No nbgrader_config.py file found" not in lab.log
    # the settings came with the launch; nothing was written into the user's Jupyter settings
    assert not (lab.home / ".jupyter" / "labconfig").exists()


def test_released_notebook_opens_without_the_modified_mark(lab, tab, tiny):
    released = tiny["learner"] / "notebooks" / CH / f"{CH}.ipynb"
    before = released.read_bytes()
    open_notebook(tab, lab, f"{CH}/{CH}.ipynb")
    time.sleep(1.5)  # the kernel's language_info arrives with the kernel
    tab.shot("notebook_opened")
    page = tab.page
    assert page.locator(".jp-mod-dirty").count() == 0, "the notebook is marked modified right after opening"
    # what JupyterLab writes on save is byte for byte what `course release` wrote
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')")
    time.sleep(1)
    assert released.read_bytes() == before
    # equations render (MathJax is bundled with JupyterLab)
    assert page.locator(".jp-RenderedMarkdown mjx-container, .jp-RenderedMarkdown .MathJax").count() >= 2


def test_run_all_stops_at_the_first_exercise_with_its_label(lab, tab):
    page = tab.page
    open_notebook(tab, lab, f"{CH}/{CH}.ipynb")
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('li[data-command="runmenu:run-all"]').click()
    error = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").first
    error.wait_for(timeout=60_000)
    wait_idle(page)
    error.scroll_into_view_if_needed()
    tab.shot("run_all_stopped")
    text = error.inner_text()
    assert "NotImplementedError: Exercise 1.1 (double) is not attempted yet: replace this line with your code." in text, text
    # it stopped at the first exercise's test (setup, stub, test ran; nothing below)
    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
    assert [p.strip() for p in prompts] == ["[1]:", "[2]:", "[3]:", "[ ]:", "[ ]:", "[ ]:", "[ ]:"], prompts
    assert "checks.assert_close(double(" in code_cell(page, "checks.assert_close(double(").inner_text()
    assert code_cell(page, "checks.assert_close(double(").locator(".jp-OutputArea-output").count() == 1


def test_validate_from_the_command_palette(lab, tab):
    page = tab.page
    open_notebook(tab, lab, f"{CH}/{CH}.ipynb")
    # the shortcut is only heard once the notebook has focus and the lab has
    # bound its keys: press it until the palette opens (a slow machine may
    # need a few tries), as a person would
    palette = page.locator(".lm-CommandPalette-input")
    for _ in range(10):
        page.locator(".jp-NotebookPanel-notebook").first.click()
        page.keyboard.press("Control+Shift+c")
        try:
            palette.wait_for(state="visible", timeout=3_000)
            break
        except Exception:
            continue
    palette.fill("Validate")
    item = page.locator(".lm-CommandPalette-item:not(.lm-mod-disabled)", has_text="Validate Notebook")
    item.wait_for(timeout=30_000)
    tab.shot("command_palette_validate")
    page.keyboard.press("Enter")
    dialog = page.locator("#validation-message")
    dialog.wait_for(timeout=120_000)
    time.sleep(0.5)
    tab.shot("validate_summary_of_a_fresh_notebook")
    text = dialog.inner_text()
    assert text.strip().splitlines()[0] == "0 of 3 exercises pass their visible checks · 0 failing · 3 not attempted", text[:500]
    assert "The following cell failed:" not in text and "Traceback" not in text, text  # nothing but the summary
    page.locator(".jp-Dialog-button.jp-mod-accept").click()


def test_solve_an_exercise_in_the_page_then_validate_shows_a_summary_first(lab, tab):
    page = tab.page
    open_notebook(tab, lab, f"{CH}/{CH}.ipynb")
    # run the setup cell, then solve Exercise 1.1 and run it with its test
    setup = code_cell(page, "from course import checks")
    setup.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    cell = code_cell(page, "def double(x):")
    replace_source(page, cell, tiny_course.ANSWERS["double"])
    page.keyboard.press("Shift+Enter")  # the answer
    page.keyboard.press("Shift+Enter")  # its visible test
    wait_idle(page)
    test = code_cell(page, "checks.assert_close(double(")
    test.scroll_into_view_if_needed()
    tab.shot("exercise_solved_visible_test_passes")
    assert test.locator(".jp-InputArea-prompt").inner_text().strip() not in ("[ ]:", "[*]:")
    assert test.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    # a wrong answer for Exercise 1.2; 1.3 stays open
    replace_source(page, code_cell(page, "def square(x):"), tiny_course.WRONG_SQUARE)
    tab.shot("wrong_answer_typed")
    page.locator(".validate-button").first.click()
    dialog = page.locator("#validation-message")
    dialog.wait_for(timeout=120_000)
    time.sleep(0.5)
    tab.shot("validate_summary")
    text = dialog.inner_text()
    first = text.strip().splitlines()[0]
    assert first == "1 of 3 exercises pass their visible checks · 1 failing · 1 not attempted", text[:500]
    assert "Exercise 1.1 (double)\tpassed" in text and "Exercise 1.3 (half)\tnot attempted" in text, text[:1500]
    details = text.split("The following cell failed:", 1)[1]  # after the summary: the failing exercise's test
    assert "# Exercise 1.2 (square): this test failed" in details and "square(x)[1] is 6" in details, details
    assert "NotImplementedError" not in details, "a not-attempted exercise's traceback is shown"
    assert len(text) < 3000, len(text)
    page.locator(".jp-Dialog-button.jp-mod-accept").click()
    assert "No nbgrader_config.py file found" not in lab.log


# --------------------------------------------------------------- instructor


def test_formgrader_command_opens_configured_without_inapplicable_warnings(formgrader, tab):
    page = tab.page
    assert f"127.0.0.1:{formgrader.port}/formgrader?token=" in formgrader.url
    page.goto(formgrader.url)
    page.wait_for_selector("#course-no-exchange", timeout=60_000)
    page.wait_for_load_state("networkidle")
    tab.shot("formgrader_manage_assignments")
    body = page.locator("body").inner_text()
    assert "does not exist" not in body and page.locator("#warning-exchange, #warning-course-id").count() == 0
    assert CH in body
    warnings = [l for l in formgrader.log.splitlines() if re.match(r"\[[WCE] ", l) and "To access the server" not in l
                and l.strip() not in ("[C", "") and "received signal" not in l]
    warnings = [l for l in warnings if not re.match(r"\[C [\d\-: .]+ServerApp\]\s*$", l)]
    assert not warnings, warnings
    assert not re.search(r"exchange|nbgrader_config\.py file found|Unwritable", formgrader.log), formgrader.log[-2000:]


def test_formgrader_lists_every_submission_as_graded(formgrader, tab):
    page = tab.page
    page.goto(formgrader.url)  # logs in (the formgrader's own API calls need the cookie)
    page.goto(f"{formgrader.base}/formgrader/manage_submissions/{CH}")
    page.wait_for_selector("td:has-text('carol')", timeout=60_000)
    page.wait_for_load_state("networkidle")
    tab.shot("manage_submissions")
    rows = {}
    for row in page.locator("table tbody tr").all():
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        rows[cells[1]] = cells
    assert sorted(rows) == ["alice", "bob", "carol"], rows
    for learner, (_, score) in tiny_course.CLASS.items():
        cells = rows[learner]
        assert cells[3] == "graded" and cells[4] == f"{score:g} / 3", cells
        assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", cells[2]), cells  # the submission's timestamp
    assert "needs autograding" not in page.locator("body").inner_text()


def test_manual_grading_opens_a_submission_with_equations_and_adjusts_a_score(formgrader, tab, graded):
    page = tab.page
    page.goto(formgrader.url)
    page.goto(f"{formgrader.base}/formgrader/gradebook/{CH}/{CH}")
    page.wait_for_selector("text=Submission #1", timeout=60_000)
    page.get_by_text("Show All Names").click()
    page.wait_for_selector("text=carol")
    tab.shot("manual_grading_list")
    page.locator("tr", has_text="carol").locator("a:visible").first.click()
    page.wait_for_selector("#notebook-container", timeout=60_000)
    page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 && "
                           "document.querySelectorAll('.MathJax, .MathJax_Display').length >= 2", timeout=60_000)
    tab.shot("submission_with_rendered_equations")
    assert "\\mathbf" not in page.locator("#notebook-container .text_cell_render").first.inner_text()
    # give carol's wrong square a point by hand (the formgrader saves on change)
    score = page.locator(".nbgrader_cell", has_text="test_square").locator("input.score")
    score.scroll_into_view_if_needed()
    score.fill("1")
    score.press("Tab")
    page.wait_for_timeout(1500)
    tab.shot("score_adjusted_by_hand")
    report = tiny_course.course(graded, "grade", "report")
    assert report.returncode == 0, report.stderr
    with open(graded / "autograder" / "reports" / "grades.csv", newline="") as fh:
        grades = {r["learner"]: r for r in csv.DictReader(fh)}
    assert grades["carol"]["total"] == "2", grades["carol"]


def test_feedback_page_says_not_attempted(tab, graded):
    page = tab.page
    path = graded / "autograder" / "feedback" / "bob" / CH / f"{CH}.html"
    page.goto(path.as_uri())
    page.wait_for_selector("table")
    tab.shot("feedback_not_attempted")
    text = page.locator("body").inner_text()
    assert "not attempted (Exercise 1.1 (double))" in text and "NotImplementedError" not in text
