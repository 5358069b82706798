import sys
from pathlib import Path

# tests import their helpers (gates.py) as top-level modules
sys.path.insert(0, str(Path(__file__).resolve().parent))

# the tests read nbgrader's gradebook directly, which runs `alembic` from
# PATH: make `.venv/bin/pytest` work without an activated environment
from course.nbgrader_settings import scripts_on_path  # noqa: E402

scripts_on_path()
