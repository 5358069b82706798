"""``course release``: generate the learner notebooks from ``solutions/``.

nbgrader's generate_assignment runs into a temporary folder; the result is
then copied into ``notebooks/<chapter>/`` file by file. A file is replaced
only if it is still exactly what the previous release wrote (recorded in
``notebooks/.release-manifest.json``): a learner's edits are never
overwritten unless ``--force`` is given, and then a backup copy is kept.
Running it twice changes nothing.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .nbgrader_settings import make_config
from .paths import Chapter, CourseError

MANIFEST = ".release-manifest.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def generate(chapter: Chapter, out_dir: Path, db_url: str | None = None) -> Path:
    """Run nbgrader's generate_assignment for *chapter* into *out_dir*
    (``out_dir/<chapter>/``) and return that folder. The gradebook is
    ``db_url`` (default: a throwaway one in a temporary folder)."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.nbgraderformat import ValidationError

    out_dir = Path(out_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="course-gen-") as tmp:
        db = db_url or f"sqlite:///{Path(tmp) / 'gradebook.db'}"
        config = make_config(
            Path(tmp),
            source=str(chapter.root / "solutions"),
            release=str(out_dir),
            db_url=db,
        )
        config.CourseDirectory.assignment_id = chapter.name
        buffer = io.StringIO()
        handler = logging.StreamHandler(buffer)
        from nbgrader.coursedir import CourseDirectory

        app = GenerateAssignment(coursedir=CourseDirectory(config=config), config=config)
        app.log.addHandler(handler)
        app.log.propagate = False
        app.force = True
        app.create_assignment = True
        try:
            app.start()
        except ValidationError as exc:
            raise CourseError(f"{chapter.source_notebook}: invalid nbgrader metadata: {exc}") from None
        except Exception as exc:
            log_lines = [l for l in buffer.getvalue().splitlines() if "ERROR" in l or "rror" in l]
            detail = log_lines[-1].strip() if log_lines else f"{type(exc).__name__}: {exc}"
            raise CourseError(f"{chapter.name}: nbgrader generate_assignment failed: {detail}") from None
        finally:
            app.log.removeHandler(handler)
    result = out_dir / chapter.name
    notebook = result / chapter.source_notebook.name
    if not notebook.is_file():
        raise CourseError(f"{chapter.name}: nbgrader produced no notebook")
    # every stub names its exercise, so Run All stops with "Exercise 4.1 (…)
    # is not attempted yet" instead of a bare NotImplementedError
    import nbformat

    from .nbmeta import label_stubs

    nb = nbformat.read(str(notebook), as_version=4)
    before = [c.source for c in nb.cells]
    label_stubs(nb)
    _update_checksums(nb, before, chapter, notebook.stem, db_url)
    write_canonical(nb, notebook)
    return result


def _update_checksums(nb, before: list[str], chapter: Chapter, notebook: str, db_url: str | None) -> None:
    """nbgrader recorded each cell's checksum (in the notebook and the
    gradebook) before the stubs were labelled: record the labelled stubs'
    instead, so that nbgrader still recognises an untouched answer cell
    (autograde's "No response." comment)."""
    from nbgrader.utils import compute_checksum

    changed = {}
    for cell, old in zip(nb.cells, before):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.source != old and "checksum" in meta:
            meta["checksum"] = compute_checksum(cell)
            changed[meta["grade_id"]] = (meta["checksum"], cell.source)
    if not changed or not db_url:
        return
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        for gid, (checksum, source) in changed.items():
            cell = gb.find_source_cell(gid, notebook, chapter.name)
            cell.checksum, cell.source = checksum, source
        gb.db.commit()


def kernel_language_info() -> dict:
    """``language_info`` exactly as this interpreter's kernel reports it.

    JupyterLab copies the kernel's ``language_info`` into the notebook as soon
    as the kernel starts; any difference (even only the patch version,
    ``3.11`` against ``3.11.7``) marks a notebook that nobody edited as
    modified. The learner's kernel is ipykernel on the Python the course runs
    on, i.e. this interpreter."""
    try:
        from ipykernel.ipkernel import IPythonKernel

        return json.loads(json.dumps(IPythonKernel.language_info))
    except Exception:  # ipykernel's own definition, should it move
        import sys

        return {
            "codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
            "file_extension": ".py",
            "mimetype": "text/x-python",
            "name": "python",
            "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3",
            "version": sys.version.split()[0],
        }


def write_canonical(nb, path: Path) -> None:
    """Write a learner notebook in the form JupyterLab itself saves it, so
    that opening it (which starts a kernel) changes nothing and the
    unsaved-changes mark stays off: the kernel's ``language_info``, nbformat
    4.5 with cell ids, and jupyter_server's serialisation (``nbformat.write``:
    one-space indent, sorted keys, UTF-8 unescaped, a final newline).
    Deterministic: the same source always gives the same bytes."""
    import nbformat

    nb.metadata["language_info"] = kernel_language_info()
    nb.nbformat, nb.nbformat_minor = 4, 5
    taken = {c.get("id") for c in nb.cells}
    for i, cell in enumerate(nb.cells):  # nbformat 4.5 needs ids; JupyterLab would invent random ones
        if not cell.get("id"):
            new_id = f"cell-{i:03d}"
            while new_id in taken:
                new_id += "x"
            cell["id"] = new_id
            taken.add(new_id)
    text = nbformat.writes(nb, version=4)
    if not text.endswith("\n"):
        text += "\n"
    Path(path).write_text(text, encoding="utf-8")


@dataclass
class ReleaseResult:
    chapter: str
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)


def _load_manifest(notebooks: Path) -> dict:
    path = notebooks / MANIFEST
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError:
        raise CourseError(f"{path}: corrupt release manifest; restore it from git (git checkout -- {path})") from None


def _save_manifest(notebooks: Path, manifest: dict) -> None:
    text = json.dumps(dict(sorted(manifest.items())), indent=1) + "\n"
    path = notebooks / MANIFEST
    if not path.is_file() or path.read_text() != text:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(path)


def release(chapters: list[Chapter], force: bool = False, db_url: str | None = None) -> list[ReleaseResult]:
    """Regenerate ``notebooks/<chapter>`` for each chapter. Raises CourseError,
    before writing anything, if a file to be replaced holds someone's edits."""
    if not chapters:
        return []
    root = chapters[0].root
    notebooks = root / "notebooks"
    notebooks.mkdir(exist_ok=True)
    # one release at a time: the manifest is read, checked and rewritten as a whole
    with open(notebooks / ".release.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _release_locked(chapters, root, notebooks, force, db_url)


def _release_locked(chapters, root: Path, notebooks: Path, force: bool, db_url: str | None) -> list[ReleaseResult]:
    manifest = _load_manifest(notebooks)
    results = []
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        plans = []
        for ch in chapters:
            generated = generate(ch, Path(tmp) / "release", db_url=db_url)
            files = sorted(p for p in generated.rglob("*") if p.is_file())
            plans.append((ch, generated, files))
        # check every target before touching any
        conflicts = []
        for ch, generated, files in plans:
            for src in files:
                rel = src.relative_to(generated.parent).as_posix()
                dst = notebooks / rel
                if dst.is_file() and sha256(dst) != sha256(src) and manifest.get(rel) != sha256(dst):
                    conflicts.append(dst)
        if conflicts and not force:
            names = ", ".join(str(p.relative_to(root)) for p in conflicts[:3])
            more = f" and {len(conflicts) - 3} more" if len(conflicts) > 3 else ""
            raise CourseError(
                f"{names}{more} changed since the last release (your edits?); nothing was written. "
                "Move it aside, or rerun with --force to keep a backup copy and regenerate"
            )
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for ch, generated, files in plans:
            res = ReleaseResult(ch.name)
            for src in files:
                rel = src.relative_to(generated.parent).as_posix()
                dst = notebooks / rel
                new_hash = sha256(src)
                if dst.is_file() and sha256(dst) == new_hash:
                    res.unchanged.append(dst)
                    manifest[rel] = new_hash
                    continue
                if dst in conflicts:
                    backup = dst.with_name(f"{dst.name}.bak-{stamp}")
                    shutil.copy2(dst, backup)
                    res.backups.append(backup)
                dst.parent.mkdir(parents=True, exist_ok=True)
                tmp_dst = dst.with_name(f".{dst.name}.tmp")
                shutil.copyfile(src, tmp_dst)
                tmp_dst.replace(dst)
                manifest[rel] = new_hash
                res.written.append(dst)
            results.append(res)
    _save_manifest(notebooks, manifest)
    return results
