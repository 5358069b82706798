#!/usr/bin/env bash
# One command for each use of the course. Sets everything up on first use
# (a virtual environment in .venv with the pinned versions from
# constraints.txt), then:
#   ./course.sh lab     open the course in JupyterLab at notebooks/ (headless: prints the URL)
#   ./course.sh formgrader   instructors: nbgrader's formgrader on autograder/ (after ./course.sh grade ...)
#   ./course.sh test    run the full test suite (what CI runs)
#   ./course.sh setup   only set up
#   ./course.sh <any course subcommand ...>   e.g. ./course.sh validate 1
set -euo pipefail
cd "$(dirname "$0")"

find_python() {
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "course.sh: error: Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

system_packages() {
  # bubblewrap sandboxes learner code in `course grade`; without it grading
  # refuses to run (and its tests are skipped). Installed when we may.
  if ! command -v bwrap >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing bubblewrap (the grading sandbox)..."
      apt-get install -y -q bubblewrap >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q bubblewrap >/dev/null 2>&1; } || true
    fi
    command -v bwrap >/dev/null 2>&1 || echo "note: bubblewrap is not installed; \`course grade\` needs it (sudo apt-get install bubblewrap)" >&2
  fi
}

setup() {
  local stamp=.venv/.course-setup-stamp
  local want
  want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
  if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  local py
  py=$(find_python)
  if [ ! -x .venv/bin/python ]; then
    echo "Setting up .venv with $($py --version) (first run: a few minutes)..."
    "$py" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -c constraints.txt -e ".[dev]"
  echo "$want" > "$stamp"
}

cmd="${1:-lab}"
[ $# -gt 0 ] && shift
setup
export PATH="$PWD/.venv/bin:$PATH"
case "$cmd" in
  setup) echo "Ready: .venv is set up. Try ./course.sh lab";;
  lab) exec .venv/bin/course lab "$@";;
  test)
    system_packages
    # gate a: every solution notebook by nbval (fails on any error);
    # gates b-f and the tooling tests: tests/
    set +e
    .venv/bin/python -m pytest -n "${COURSE_TEST_WORKERS:-auto}" --dist loadscope \
      --nbval-lax --nbval-current-env solutions tests "$@"
    status=$?
    set -e
    if [ "$status" -eq 5 ]; then
      echo "course.sh: error: pytest collected no tests" >&2
    fi
    exit "$status";;
  grade) system_packages; exec .venv/bin/course grade "$@";;
  *) exec .venv/bin/course "$cmd" "$@";;
esac
