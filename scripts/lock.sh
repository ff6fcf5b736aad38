#!/usr/bin/env bash
# Refresh requirements/lock.txt: every extra of pyproject.toml resolved afresh from PyPI and pinned,
# for CPython 3.11 on Linux x86_64 (manylinux_2_28). The lock is a pip constraints file: the README's
# commands and .ci/run install with `pip install -c requirements/lock.txt -e ".[...]"`, plain pip.
#
#   scripts/lock.sh            # rewrite requirements/lock.txt
#   scripts/lock.sh --check    # exit 1 if pyproject.toml's ranges no longer admit the locked versions
#
# The resolver is uv at a pinned version, installed into a throwaway venv (nothing else needs it).
# After a refresh: run the tests with the new lock (.ci/run) and commit pyproject.toml and the lock
# together (CONTRIBUTING.md, "Dependencies").
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
PYTHON_VERSION=3.11
PLATFORM=x86_64-manylinux_2_28
lock=requirements/lock.txt

tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install -q "uv==$UV_VERSION"
uv="$tools/venv/bin/uv"

compile() {  # compile OUT [extra uv arguments]: pyproject.toml with all its extras, no hashes
  local out="$1"
  shift
  "$uv" pip compile pyproject.toml --all-extras --python-version "$PYTHON_VERSION" \
    --python-platform "$PLATFORM" --no-header --no-annotate --quiet "$@" -o "$out"
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

compile "$tools/lock.txt" --upgrade
{
  echo "# The lock: every extra of pyproject.toml resolved and pinned, for CPython $PYTHON_VERSION on Linux x86_64"
  echo "# ($PLATFORM). A pip constraints file: pip install -c requirements/lock.txt -e \".[EXTRAS]\"."
  echo "# Written by scripts/lock.sh (uv $UV_VERSION) on $(date -u +%Y-%m-%d): do not edit by hand, rerun it."
  cat "$tools/lock.txt"
} >"$lock"
echo "wrote $lock ($(grep -c '==' "$lock") packages)"
