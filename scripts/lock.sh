#!/usr/bin/env bash
# Refresh requirements/lock.txt: every extra of pyproject.toml resolved afresh from PyPI and pinned,
# one universal lock for every CPython that requires-python admits (3.10-3.13), with environment
# markers where a version differs between Pythons. The lock is a pip constraints file: the README's
# commands and .ci/run install with `pip install -c requirements/lock.txt -e ".[...]"`, plain pip,
# which takes the line whose marker matches the running Python.
#
#   scripts/lock.sh            # rewrite requirements/lock.txt (newest versions)
#   scripts/lock.sh --keep     # resolve again keeping every locked version that still fits
#   scripts/lock.sh --check    # exit 1 if pyproject.toml's ranges no longer admit the locked versions
#
# The resolver is uv at a pinned version, installed into a throwaway venv (nothing else needs it).
# After a refresh: run the tests with the new lock (.ci/run) and commit pyproject.toml and the lock
# together (CONTRIBUTING.md, "Dependencies").
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
PYTHON_VERSION=3.10  # the lowest requires-python admits: --universal covers it and every later one
lock=requirements/lock.txt

tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install -q "uv==$UV_VERSION"
uv="$tools/venv/bin/uv"

compile() {  # compile OUT [extra uv arguments]: pyproject.toml with all its extras, no hashes
  local out="$1"
  shift
  "$uv" pip compile pyproject.toml --all-extras --universal --python-version "$PYTHON_VERSION" \
    --no-header --no-annotate --quiet "$@" -o "$out"
}

if [ "${1:-}" = "--check" ]; then
  # resolve again, preferring the locked versions: any change means a range left the lock behind
  cp "$lock" "$tools/lock.txt"
  compile "$tools/lock.txt"
  if ! diff -u <(grep -v '^#' "$lock") <(grep -v '^#' "$tools/lock.txt"); then
    echo "requirements/lock.txt does not satisfy pyproject.toml: run scripts/lock.sh" >&2
    exit 1
  fi
  echo "requirements/lock.txt satisfies pyproject.toml"
  exit 0
fi

if [ "${1:-}" = "--keep" ]; then  # add what new Pythons or extras need, keeping every locked version
  cp "$lock" "$tools/lock.txt"
  compile "$tools/lock.txt"
else
  compile "$tools/lock.txt" --upgrade
fi
{
  echo "# The lock: every extra of pyproject.toml resolved and pinned for CPython 3.10-3.13 (universal:"
  echo "# a marker where a Python needs another version). A pip constraints file:"
  echo "# pip install -c requirements/lock.txt -e \".[EXTRAS]\"."
  echo "# Written by scripts/lock.sh (uv $UV_VERSION) on $(date -u +%Y-%m-%d): do not edit by hand, rerun it."
  cat "$tools/lock.txt"
} >"$lock"
echo "wrote $lock ($(grep -c '==' "$lock") packages)"
