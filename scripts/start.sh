#!/usr/bin/env bash
# `npm start`: Jupyter Notebook 6 on notebooks/, for this checkout only.
#
# Bound to 127.0.0.1 with a fresh random token (printed below), no browser opened (open the URL),
# and every Jupyter folder inside the project's .jupyter/ (git-ignored), so nothing is written to
# $HOME and only this repo's kernelspec ("TypeScript (replicalab)") is added. PORT=NNNN picks the
# port; by default 8888, or a free one if 8888 is taken.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

JUPYTER=/usr/bin/jupyter
PYTHON=/usr/bin/python3
if [[ ! -x "$JUPYTER" ]]; then
  echo "start: $JUPYTER not found: run \`npm run setup\` first" >&2
  exit 1
fi
[[ -f .jupyter/data/kernels/replicalab-ts/kernel.json ]] || bash scripts/setup.sh --kernelspec-only

export JUPYTER_PATH="$root/.jupyter/data"
export JUPYTER_DATA_DIR="$root/.jupyter/data"
export JUPYTER_CONFIG_DIR="$root/.jupyter/config"
export JUPYTER_RUNTIME_DIR="$root/.jupyter/runtime"
export IPYTHONDIR="$root/.jupyter/ipython"

# The requested port if it is free, else any free port (Jupyter's own retry would make the URL
# printed here wrong).
port="$("$PYTHON" - "${PORT:-8888}" <<'PY'
import socket, sys
def free(p):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", p)); return s.getsockname()[1]
        except OSError:
            return None
print(free(int(sys.argv[1])) or free(0))
PY
)"
token="$(node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))')"

args=(notebook --no-browser --ip=127.0.0.1 --port="$port" --port-retries=0
      --notebook-dir="$root/notebooks" --NotebookApp.token="$token"
      --MappingKernelManager.default_kernel_name=replicalab-ts)
[[ "$(id -u)" -eq 0 ]] && args+=(--allow-root)

echo "replicalab notebooks: http://127.0.0.1:$port/?token=$token"
echo "(kernel: \"TypeScript (replicalab)\"; it rebuilds src/ on each start; Ctrl-C twice to stop)"
exec "$JUPYTER" "${args[@]}"
