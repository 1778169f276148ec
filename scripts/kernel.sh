#!/usr/bin/env bash
# Jupyter kernel launcher for replicalab notebooks (the kernelspec written by scripts/setup.sh runs it).
#
# Why a launcher instead of running tslab directly:
#  - Notebooks import the package by name ("replicalab" -> node_modules/replicalab -> the compiled lib/),
#    so a change in src/ must be compiled before the kernel starts. The build is incremental and is
#    skipped entirely when nothing under src/ changed since the last build, so a restart stays fast.
#  - tslab compiles cells with rootDir = its working folder and finds @types through it. Starting it
#    from the project root gives every notebook, wherever it lives (notebooks/, test/fixtures/...), the
#    same view: `import ... from "replicalab"`, @types/node, and paths like "data/scenarios/x.json".
#
# Usage (by Jupyter): kernel.sh CONNECTION_FILE
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

connection_file="${1:?usage: kernel.sh CONNECTION_FILE}"
stamp="lib/.kernel-build-stamp"

# True when some file or folder under src/ (a deleted file changes its folder's mtime) or the build
# config is newer than the last successful build.
needs_build() {
  [[ ! -f "$stamp" ]] && return 0
  [[ tsconfig.build.json -nt "$stamp" || tsconfig.json -nt "$stamp" ]] && return 0
  [[ -n "$(find src -newer "$stamp" -print -quit)" ]]
}

build() {
  # Two kernels may start at once (the test runner executes notebooks in parallel): serialise builds.
  mkdir -p lib
  exec 9>lib/.kernel-build.lock
  command -v flock >/dev/null && flock 9
  if needs_build; then
    # tsc emits even when there are type errors, so a half-edited src/ still yields a usable lib/;
    # the errors go to the Jupyter server's log once, and the next start rebuilds only after the
    # next change (rebuilding a broken src/ on every start would cost seconds for nothing).
    node_modules/.bin/tsc -p tsconfig.build.json >&2 ||
      echo "replicalab kernel: the build of src/ has errors (above); lib/ holds what compiled" >&2
    touch "$stamp"
  fi
  exec 9>&-
}

build
exec node_modules/.bin/tslab kernel --config-path "$connection_file"
