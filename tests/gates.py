"""The per-chapter CI gates (b–f; gate a is nbval over solutions/), written
once and instantiated for every chapter by tests/test_chapters.py."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import determine_grade

from course import nbmeta
from course.nbexec import KernelSession, execute_notebook
from course.paths import Chapter
from course.release import MANIFEST, generate, sha256

ROOT = Path(__file__).resolve().parent.parent
WRONG_DIR = Path(__file__).resolve().parent / "wrong_answers"
RIGHT_DIR = Path(__file__).resolve().parent / "right_answers"
CLAIMS_DIR = Path(__file__).resolve().parent / "keras_claims"
EXERCISE_HEADING = nbmeta.EXERCISE_HEADING


def _load_answers(folder: Path, chapter: Chapter, variable: str) -> dict[str, dict[str, str]]:
    path = folder / f"{chapter.name}.py"
    if not path.is_file():
        return {}
    spec = importlib.util.spec_from_file_location(f"{variable.lower()}_{chapter.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {gid: {k: textwrap.dedent(v).strip() + "\n" for k, v in answers.items()} for gid, answers in getattr(module, variable).items()}


def load_wrong_answers(chapter: Chapter) -> dict[str, dict[str, str]]:
    """tests/wrong_answers/<chapter>.py defines WRONG = {solution grade_id: {description: code}}."""
    return _load_answers(WRONG_DIR, chapter, "WRONG")


def load_right_answers(chapter: Chapter) -> dict[str, dict[str, str]]:
    """tests/right_answers/<chapter>.py defines RIGHT = {solution grade_id: {why it is correct: code}}."""
    return _load_answers(RIGHT_DIR, chapter, "RIGHT")


def visible_source(source: str) -> str:
    """What the learner's version of a test cell runs: nbgrader's hidden-test
    blocks removed (as ClearHiddenTests does)."""
    out, hidden = [], False
    for line in source.splitlines():
        if "BEGIN HIDDEN TESTS" in line:
            hidden = True
        elif "END HIDDEN TESTS" in line:
            hidden = False
        elif not hidden:
            out.append(line)
    return "\n".join(out)


def has_code(source: str) -> bool:
    return any(line.strip() and not line.strip().startswith("#") for line in source.splitlines())


CHAPTER_REF = re.compile(r"\bChapters?\s+(\d+)((?:\s*(?:,|–|-|and|or|to)\s*\d+)*)")
SECTION_IN_CHAPTER = re.compile(r"\bChapter\s+(\d+),?\s+Sections?\s+(\d+)|\bSections?\s+(\d+)\s+of\s+Chapter\s+(\d+)")
SECTION_REF = re.compile(r"\bSections?\s+(\d+)((?:\s*(?:,|–|-|and|or|to)\s*\d+)*)")
EXERCISE_REF = re.compile(r"\bExercises?\s+(\d+)\.(\d+)")
NUMBERED_HEADING = re.compile(r"^##\s+(\d+)\.\s", re.M)


def numbered_sections(nb) -> set[int]:
    return {int(m.group(1)) for c in nb.cells if c.cell_type == "markdown" for m in NUMBERED_HEADING.finditer(c.source)}


def exercise_numbers(nb) -> set[tuple[int, int]]:
    return {(int(m.group(1)), int(m.group(2))) for c in nb.cells if c.cell_type == "markdown" for m in EXERCISE_HEADING.finditer(c.source)}


def dangling_references(chapter: Chapter, all_chapters: list[Chapter]) -> list[str]:
    """Every "Chapter N", "Section N" (of this notebook, or "Chapter M,
    Section N") and "Exercise N.k" in the chapter's text that does not resolve."""
    by_number = {c.number: c for c in all_chapters}
    notebooks = {}

    def nb_of(number):
        if number not in notebooks:
            notebooks[number] = nbmeta.read_notebook(by_number[number].source_notebook)
        return notebooks[number]

    nb = nb_of(chapter.number)
    problems = []
    for index, cell in enumerate(nb.cells):
        text = cell.source
        for m in CHAPTER_REF.finditer(text):
            numbers = [int(m.group(1))] + [int(n) for n in re.findall(r"\d+", m.group(2))]
            for n in numbers:
                if n not in by_number:
                    problems.append(f"cell {index}: {m.group(0)!r} names chapter {n}, which does not exist")
        spans = []
        for m in SECTION_IN_CHAPTER.finditer(text):
            spans.append(m.span())
            ch_n, sec = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(4)), int(m.group(3)))
            if ch_n in by_number and sec not in numbered_sections(nb_of(ch_n)):
                problems.append(f"cell {index}: {m.group(0)!r}: chapter {ch_n} has no section {sec}")
        for m in SECTION_REF.finditer(text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            for n in [int(m.group(1))] + [int(x) for x in re.findall(r"\d+", m.group(2))]:
                if n not in numbered_sections(nb):
                    problems.append(f"cell {index}: {m.group(0)!r} names section {n}, but the sections of this notebook are {sorted(numbered_sections(nb))}")
        for m in EXERCISE_REF.finditer(text):
            ch_n, k = int(m.group(1)), int(m.group(2))
            if ch_n not in by_number or (ch_n, k) not in exercise_numbers(nb_of(ch_n)):
                problems.append(f"cell {index}: {m.group(0)!r} names an exercise that does not exist")
    return problems


def score_cell(nb, index: int, result) -> float:
    """nbgrader's own rule (nbgrader.utils.determine_grade) applied to an executed cell."""
    cell = copy.deepcopy(nb.cells[index])
    cell.outputs = [nbformat.from_dict(o) for o in result.outputs]
    awarded, _ = determine_grade(cell)
    return float(awarded or 0.0)


class ChapterGates:
    """Subclassed once per chapter (``chapter`` set) so that pytest-xdist's
    loadscope scheduling spreads chapters over workers."""

    chapter: Chapter

    # ---- gate e: committed without outputs, valid nbgrader metadata ----------
    @pytest.mark.parametrize("version", ["solution", "learner"])
    def test_committed_clean_with_valid_metadata(self, version):
        from nbgrader.nbgraderformat import MetadataValidator

        ch = self.chapter
        path = ch.source_notebook if version == "solution" else ch.release_notebook
        nb = nbmeta.read_notebook(path)
        nbformat.validate(nb)
        MetadataValidator().validate_nb(nb)
        with_output = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
        assert not with_output, f"{path}: cells {with_output} were committed with outputs; clear them"
        ids = [nbmeta.grade_id(c) for c in nb.cells if nbmeta.nbgrader_meta(c)]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        assert not dupes, f"{path}: duplicated grade_id {dupes}"
        for c in nb.cells:
            meta = nbmeta.nbgrader_meta(c)
            if meta:
                assert meta.get("schema_version") == 3, f"{nbmeta.grade_id(c)}: schema_version must be 3"
            if nbmeta.is_graded_test(c):
                assert meta.get("locked"), f"{meta['grade_id']}: graded test cells must be locked"
                assert nbmeta.points(c) > 0, f"{meta['grade_id']}: graded test cell without points"
                if version == "solution":
                    assert not nbmeta.ends_with_expression(c.source), (
                        f"{meta['grade_id']}: a graded test cell must end with a statement (nbgrader reads a final value as partial credit)"
                    )
        if version == "learner":
            text = path.read_text()
            for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
                assert marker not in text, f"{path}: learner version contains {marker!r}"

    def test_chapter_anatomy_and_points(self):
        """Exercise headings carry the points their graded cells are worth,
        every exercise has visible and hidden tests, the setup cell is locked."""
        ch = self.chapter
        nb = nbmeta.read_notebook(ch.source_notebook)
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# Chapter {ch.number}"), "first cell: the chapter title"
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        assert nbmeta.nbgrader_meta(first_code).get("locked"), "the first code cell (setup) must be locked"
        assert "checks.install_warning_policy()" in first_code.source, (
            "the setup cell must call checks.install_warning_policy() (library warnings on stdout, NumPy's floating-point warnings as errors)"
        )
        claims = CLAIMS_DIR / f"test_{ch.name}.py"
        assert claims.is_file(), f"{claims.relative_to(ROOT)} is missing: every Keras claim of the chapter is asserted there"
        all_md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for section in ("Now in Keras", "Summary", "Going further"):
            assert re.search(rf"^#+ .*{section}", all_md, re.M), f"missing section '{section}'"
        exercises = nbmeta.exercises(nb)
        assert len(exercises) >= 4, f"only {len(exercises)} graded exercises"
        headings = []
        for i, c in enumerate(nb.cells):
            if c.cell_type == "markdown":
                headings += [(i, m) for m in EXERCISE_HEADING.finditer(c.source)]
        assert len(headings) == len(exercises), f"{len(headings)} exercise headings for {len(exercises)} solution cells"
        for k, ((i, m), ex) in enumerate(zip(headings, exercises), start=1):
            assert (int(m.group(1)), int(m.group(2))) == (ch.number, k), f"heading {m.group(0)!r}: expected Exercise {ch.number}.{k}"
            assert i < ex.solution_index, f"{m.group(0)!r} must come before its solution cell"
            assert float(m.group(4)) == ex.max_points, (
                f"{m.group(0)!r} promises {m.group(4)} points but its graded cells are worth {ex.max_points:g}"
            )
            sources = [nb.cells[j].source for j in ex.test_indices]
            assert any("BEGIN HIDDEN TESTS" not in s for s in sources), f"{ex.grade_id}: no visible test cell"
            assert any("BEGIN HIDDEN TESTS" in s for s in sources), f"{ex.grade_id}: no hidden tests"
            assert "### BEGIN SOLUTION" in nb.cells[ex.solution_index].source

    # ---- given code is the key (one library) ---------------------------------
    def test_given_cells_are_the_keys(self):
        """A cell that gives learners code from an earlier chapter is identical
        to that chapter's answer key (tools/sync_given.py writes it)."""
        from course.given import stale_given_cells

        stale = stale_given_cells(ROOT, self.chapter.source_notebook)
        assert not stale, "given cells differ from the answer keys they copy (run tools/sync_given.py):\n" + "\n".join(stale)

    # ---- gate 1d: cross-references resolve ----------------------------------
    def test_cross_references_resolve(self):
        from course.paths import chapters

        problems = dangling_references(self.chapter, chapters(ROOT))
        assert not problems, "references that do not resolve:\n" + "\n".join(problems)

    # ---- gate b: learner version runs; only stubs fail ------------------------
    def test_learner_notebook_runs(self):
        report = execute_notebook(self.chapter.release_notebook, "learner")
        bad = "\n".join(r.describe() for r in report.unexpected())
        assert report.passed, f"cells that fail for another reason than an exercise stub:\n{bad}"
        nb = nbmeta.read_notebook(self.chapter.release_notebook)
        graded = [i for i, c in enumerate(nb.cells) if nbmeta.is_graded_test(c)]
        failing = {r.index for r in report.expected_failures()}
        visible = [i for i in graded if c_visible(nb.cells[i])]
        free = [nbmeta.grade_id(nb.cells[i]) for i in visible if i not in failing]
        assert not free, f"visible test cells that pass on the blank stubs: {free}"

    # ---- gate c: notebooks/ is what solutions/ generates ---------------------
    def test_learner_version_in_sync(self, tmp_path):
        ch = self.chapter
        generated = generate(ch, tmp_path / "release")
        fresh = {p.relative_to(generated).as_posix(): sha256(p) for p in generated.rglob("*") if p.is_file()}
        committed = {
            p.relative_to(ch.release_dir).as_posix(): sha256(p)
            for p in ch.release_dir.rglob("*")
            if p.is_file() and ".ipynb_checkpoints" not in p.parts and ".bak-" not in p.name
        }
        stale = sorted(k for k in fresh if committed.get(k) != fresh[k])
        extra = sorted(set(committed) - set(fresh))
        assert not stale and not extra, (
            f"notebooks/{ch.name} is out of date with solutions/ (differs: {stale}, not generated: {extra}); run `course release {ch.name}`"
        )
        import json

        manifest = json.loads((ROOT / "notebooks" / MANIFEST).read_text())
        for rel, digest in fresh.items():
            assert manifest.get(f"{ch.name}/{rel}") == digest, f"{MANIFEST} is stale for {rel}; run `course release`"

    # ---- gate d: nbgrader autograde round trip --------------------------------
    def test_autograde_round_trip(self, tmp_path):
        ch = self.chapter
        course_dir = tmp_path / "course"
        for student, src in (("answerkey", ch.source_notebook), ("blank", ch.release_notebook)):
            dest = course_dir / "submitted" / student / ch.name
            dest.mkdir(parents=True)
            shutil.copy(src, dest / src.name)
        # nbgrader's own API in one process: generate_assignment (fills the
        # gradebook), then autograde each submission
        script = textwrap.dedent(f"""
            import sys
            from pathlib import Path
            from nbgrader.apps import NbGraderAPI
            from nbgrader.coursedir import CourseDirectory
            from course.nbgrader_settings import make_config
            cfg = make_config(Path.cwd(), source={str(ROOT / "solutions")!r}, release="release")
            api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
            for step in (lambda: api.generate_assignment({ch.name!r}),
                         lambda: api.autograde({ch.name!r}, "answerkey"),
                         lambda: api.autograde({ch.name!r}, "blank")):
                result = step()
                if not result["success"]:
                    print(result.get("log", ""), result.get("error", ""), file=sys.stderr)
                    sys.exit(1)
        """)
        run = subprocess.run([sys.executable, "-c", script], cwd=course_dir, capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stderr[-3000:]
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
            nb_name = ch.source_notebook.stem
            key = gb.find_submission_notebook(nb_name, ch.name, "answerkey")
            blank = gb.find_submission_notebook(nb_name, ch.name, "blank")
            key_scores = {g.name: (g.score, g.max_score) for g in key.grades if g.cell.cell_type == "code"}
            blank_scores = {g.name: (g.score, g.max_score) for g in blank.grades if g.cell.cell_type == "code"}
        assert key_scores, "no graded cells were found by nbgrader"
        short = {k: v for k, v in key_scores.items() if v[0] != v[1]}
        assert not short, f"the answer key loses points on {short}"
        given = {k: v for k, v in blank_scores.items() if v[0] != 0}
        assert not given, f"the blank learner version earns points on {given}"


def c_visible(cell) -> bool:
    """A test cell with code the learner can see (not only the comment left
    where nbgrader removed hidden tests)."""
    return any(line.strip() and not line.strip().startswith("#") for line in cell.source.splitlines())


class WrongAnswerGates:
    """Gate f (and, on the way, a stderr-free full run of the solutions): one
    kernel per chapter runs the answer key, then for each wrong implementation
    swaps it into the solution cell, replays the exercise's cells up to its
    last graded test, scores the test cells by nbgrader's rule, and restores
    the correct answer."""

    chapter: Chapter

    @pytest.fixture(scope="class")
    def session(self):
        with KernelSession(self.chapter.source_notebook) as ks:
            results = ks.run_all()
            yield ks, results

    def test_solution_runs_clean(self, session):
        ks, results = session
        bad = [r.describe() for r in results if not r.ok]
        assert not bad, "the answer key fails or writes to stderr:\n" + "\n".join(bad)
        for r in results:
            if r.is_test:
                assert not any(o.get("output_type") == "execute_result" for o in r.outputs), (
                    f"{r.grade_id} displays a value: nbgrader would read it as partial credit"
                )

    def test_every_exercise_keeps_wrong_answers(self):
        nb = nbmeta.read_notebook(self.chapter.source_notebook)
        wrong = load_wrong_answers(self.chapter)
        ids = [ex.grade_id for ex in nbmeta.exercises(nb)]
        thin = {gid: len(wrong.get(gid, {})) for gid in ids if len(wrong.get(gid, {})) < 2}
        assert not thin, f"tests/wrong_answers/{self.chapter.name}.py needs at least two wrong answers for {thin}"
        unknown = sorted(set(wrong) - set(ids))
        assert not unknown, f"wrong answers for exercises that do not exist: {unknown}"

    def _replay(self, ks, ex, first_source: str | None):
        """Run the solution cell (or *first_source* in its place) and the cells
        up to the exercise's last test; return (points, failures)."""
        if first_source is None:
            ks.run_cell(ex.solution_index)
        else:
            ks.run_source(first_source, like_index=ex.solution_index)
        points, failures = 0.0, []
        for i in range(ex.solution_index + 1, max(ex.test_indices) + 1):
            res = ks.run_cell(i)
            if i in ex.test_indices:
                got = score_cell(ks.nb, i, res)
                points += got
                if got < nbmeta.points(ks.nb.cells[i]):
                    failures.append(res.describe())
        return points, failures

    def _replay_visible(self, ks, ex, source: str) -> tuple[int, list[str]]:
        """The learner's view: *source* in place of the solution, then the
        cells up to the exercise's last test with hidden tests removed.
        Returns (visible test cells run, their failures)."""
        ks.run_source(source, like_index=ex.solution_index)
        ran, failures = 0, []
        for i in range(ex.solution_index + 1, max(ex.test_indices) + 1):
            if i in ex.test_indices:
                visible = visible_source(ks.nb.cells[i].source)
                if not has_code(visible):
                    continue
                res = ks.run_source(visible, like_index=i)
                ran += 1
                if not res.ok:
                    failures.append(res.describe())
            else:
                ks.run_cell(i)
        return ran, failures

    def test_visible_tests_reject_wrong_answers(self, session):
        """Gate 1a: a self-paced learner runs only the visible tests, so they
        alone must reject every known wrong answer."""
        ks, results = session
        assert all(r.ok for r in results), "the answer key must run cleanly first"
        wrong = load_wrong_answers(self.chapter)
        passed = []
        for ex in nbmeta.exercises(ks.nb):
            for description, code in wrong.get(ex.grade_id, {}).items():
                ran, failures = self._replay_visible(ks, ex, code)
                assert ran, f"{ex.grade_id}: no visible test cell"
                if not failures:
                    passed.append(f"{ex.grade_id}: '{description}'")
                restored, still_failing = self._replay(ks, ex, None)
                assert restored == ex.max_points, f"{ex.grade_id}: the answer key no longer passes after restoring: {still_failing}"
        assert not passed, "wrong answers that pass every VISIBLE test (a learner would read 'visible tests passed'):\n" + "\n".join(passed)

    def test_every_exercise_keeps_right_answers(self):
        nb = nbmeta.read_notebook(self.chapter.source_notebook)
        right = load_right_answers(self.chapter)
        ids = [ex.grade_id for ex in nbmeta.exercises(nb)]
        thin = {gid: len(right.get(gid, {})) for gid in ids if len(right.get(gid, {})) < 2}
        assert not thin, f"tests/right_answers/{self.chapter.name}.py needs at least two right answers for {thin}"
        unknown = sorted(set(right) - set(ids))
        assert not unknown, f"right answers for exercises that do not exist: {unknown}"

    def test_right_answers_score_full_marks(self, session):
        """Issue 21: correct answers written differently from the key get full
        marks through the full graded tests, without stderr."""
        ks, results = session
        assert all(r.ok for r in results), "the answer key must run cleanly first"
        right = load_right_answers(self.chapter)
        short = []
        for ex in nbmeta.exercises(ks.nb):
            for reason, code in right.get(ex.grade_id, {}).items():
                points, failures = self._replay(ks, ex, code)
                if points < ex.max_points:
                    short.append(f"{ex.grade_id}: '{reason}' scored {points:g}/{ex.max_points:g}: {failures}")
                restored, still_failing = self._replay(ks, ex, None)
                assert restored == ex.max_points, f"{ex.grade_id}: the answer key no longer passes after restoring: {still_failing}"
        assert not short, "right answers that lose points:\n" + "\n".join(short)

    def test_wrong_answers_lose_points(self, session):
        ks, results = session
        assert all(r.ok for r in results), "the answer key must run cleanly first"
        wrong = load_wrong_answers(self.chapter)
        accepted = []
        for ex in nbmeta.exercises(ks.nb):
            for description, code in wrong.get(ex.grade_id, {}).items():
                points, failures = self._replay(ks, ex, code)
                if points >= ex.max_points:
                    accepted.append(f"{ex.grade_id}: '{description}' scored {points:g}/{ex.max_points:g}")
                restored, still_failing = self._replay(ks, ex, None)
                assert restored == ex.max_points, f"{ex.grade_id}: the answer key no longer passes after restoring: {still_failing}"
        assert not accepted, "wrong answers the graded tests accept:\n" + "\n".join(accepted)
