#!/usr/bin/env bash
# One-time (and repeatable) setup of the replicalab course kit.
#
#   npm run setup                        npm ci, system packages, kernelspec
#   bash scripts/setup.sh --kernelspec-only   only (re)write the kernelspec (CI, tests)
#
# Everything Jupyter writes stays inside the project (.jupyter/, git-ignored), never in $HOME.
# Idempotent: a second run finds everything in place and only re-checks it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

KERNEL_NAME="replicalab-ts"
KERNEL_DISPLAY_NAME="TypeScript (replicalab)"
DEB_PACKAGES=(jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client chromium)

log() { echo "setup: $*"; }

# Debian packages not yet installed (dpkg is fast and needs no network, so a second run is quiet).
missing_packages() {
  local p
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

install_system_packages() {
  if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
    log "not a Debian/Ubuntu system: install Jupyter Notebook 6, nbconvert, nbclient and Chromium yourself,"
    log "e.g. with your package manager; the tests expect /usr/bin/jupyter and /usr/bin/chromium"
    return 0
  fi
  local missing
  missing="$(missing_packages | tr '\n' ' ')"
  if [[ -z "${missing// /}" ]]; then
    log "system packages present"
    return 0
  fi
  local sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      log "missing system packages; run:"
      echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing"
      return 0
    fi
  fi
  log "installing $missing"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

# The kernelspec points at scripts/kernel.sh by absolute path (Jupyter starts kernels in the
# notebook's folder), so it is rewritten on every run: moving the checkout needs only a re-run.
write_kernelspec() {
  local dir="$root/.jupyter/data/kernels/$KERNEL_NAME"
  mkdir -p "$dir" "$root/.jupyter/runtime" "$root/.jupyter/config"
  local json
  json="$(cat <<JSON
{
  "argv": ["/bin/bash", "$root/scripts/kernel.sh", "{connection_file}"],
  "display_name": "$KERNEL_DISPLAY_NAME",
  "language": "typescript"
}
JSON
)"
  if [[ -f "$dir/kernel.json" && "$(cat "$dir/kernel.json")" == "$json" ]]; then
    log "kernelspec $KERNEL_NAME present"
  else
    printf '%s\n' "$json" > "$dir/kernel.json"
    log "kernelspec $KERNEL_NAME written to ${dir#"$root"/}"
  fi
}

if [[ "${1:-}" == "--kernelspec-only" ]]; then
  write_kernelspec
  exit 0
fi

# npm ci wipes node_modules: skip it when node_modules already matches the lockfile (npm records
# what it installed in node_modules/.package-lock.json), so a second run takes a second, not a
# minute, and does not pull node_modules from under a running kernel or test. --force reinstalls.
install_node_packages() {
  local installed="node_modules/.package-lock.json"
  if [[ "${1:-}" != "--force" && -f "$installed" && "$installed" -nt package-lock.json ]]; then
    log "node_modules matches package-lock.json"
  else
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

start=$SECONDS
install_system_packages
install_node_packages "${1:-}"
write_kernelspec
log "done in $((SECONDS - start)) s; run: npm start"
