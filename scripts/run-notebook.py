#!/usr/bin/python3
"""Execute a replicalab notebook headless and say clearly what went wrong.

    /usr/bin/python3 scripts/run-notebook.py NOTEBOOK.ipynb [--out build/executed/NAME.ipynb]
        [--cell-timeout 60] [--hang-timeout 120] [--strict-checks] [--sign]

Why not `jupyter nbconvert --execute`: tslab's error replies carry no name, message or traceback, so
nbconvert fails with an empty "CellExecutionError". The messages are in the cell's stderr stream;
this runner prints them with the failing cell's index and source.

Exit status: 0 ok, 1 a cell failed (or, with --strict-checks, an exercise check said "not yet"),
2 bad usage or setup, 3 a cell or the whole notebook ran out of time.
The executed copy is written even when a cell fails, so it can be inspected.
Runs on Debian's /usr/bin/python3 (nbclient from python3-nbclient); Jupyter's files stay in the
project's .jupyter/ folder.
"""
import argparse
import asyncio
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_DIR = ROOT / ".jupyter"
KERNEL_NAME = "replicalab-ts"
# The line exercise checks print when an answer is not right yet (src/notebook/exercise.ts).
UNMET_CHECK = re.compile(r"^✗ .*: not yet.*$", re.MULTILINE)


def use_project_jupyter_dirs():
    """Point Jupyter at the project's .jupyter/ before jupyter_client is imported (it reads these)."""
    data = JUPYTER_DIR / "data"
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(data)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])
    os.environ["JUPYTER_DATA_DIR"] = str(data)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(JUPYTER_DIR / "runtime")
    os.environ["JUPYTER_CONFIG_DIR"] = str(JUPYTER_DIR / "config")
    (JUPYTER_DIR / "runtime").mkdir(parents=True, exist_ok=True)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Execute a notebook with the replicalab TypeScript kernel.")
    p.add_argument("notebook", type=Path)
    p.add_argument("--out", type=Path, help="executed copy (default build/executed/NAME.ipynb)")
    p.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell (default 60)")
    p.add_argument("--hang-timeout", type=int, default=120, help="seconds per notebook (default 120)")
    p.add_argument("--strict-checks", action="store_true",
                   help="fail when an exercise check prints 'not yet' (for solution editions)")
    p.add_argument("--sign", action="store_true",
                   help="sign the executed copy so Notebook 6 trusts its scripts (charts)")
    return p.parse_args(argv)


def cell_text(cell, stream):
    """All text a cell wrote to one stream (stdout or stderr)."""
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == stream)


def error_text(cell):
    """Error outputs (empty for tslab, kept for other kernels)."""
    parts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            parts.append(f"{o.get('ename', '')}: {o.get('evalue', '')}".strip(": "))
            parts.extend(o.get("traceback", []))
    return "\n".join(p for p in parts if p)


def indent(text):
    return "\n".join("    " + line for line in text.rstrip().splitlines())


def report_cell(name, index, cell, why):
    print(f"FAIL {name}: cell {index} {why}", file=sys.stderr)
    print("  source:", file=sys.stderr)
    print(indent(cell.get("source", "")), file=sys.stderr)
    details = (cell_text(cell, "stderr") + "\n" + error_text(cell)).strip()
    print("  kernel stderr:" if details else "  (the kernel wrote nothing to stderr)", file=sys.stderr)
    if details:
        print(indent(details), file=sys.stderr)


async def execute(client, hang_timeout):
    """Runs the notebook; False if it was still running after hang_timeout (then it is cancelled,
    which shuts the kernel down). Cell errors propagate as nbclient's exceptions."""
    task = asyncio.ensure_future(client.async_execute())
    done, _ = await asyncio.wait({task}, timeout=hang_timeout)
    if task in done:
        task.result()
        return True
    task.cancel()
    try:
        await task
    except BaseException:  # the cancellation surfaces as whatever the kernel cleanup raised
        pass
    return False


def unmet_checks(nb):
    return [m.group(0) for cell in nb.cells if cell.cell_type == "code"
            for m in UNMET_CHECK.finditer(cell_text(cell, "stdout"))]


def sign(nb):
    from nbformat.sign import NotebookNotary
    NotebookNotary(data_dir=str(JUPYTER_DIR / "data")).sign(nb)


def main(argv):
    args = parse_args(argv)
    use_project_jupyter_dirs()
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        print(f"error: no kernelspec {KERNEL_NAME} in .jupyter/: run `npm run setup`", file=sys.stderr)
        return 2
    if not args.notebook.is_file():
        print(f"error: no such notebook: {args.notebook}", file=sys.stderr)
        return 2

    name = args.notebook.name
    out = args.out or ROOT / "build" / "executed" / name
    nb = nbformat.read(args.notebook, as_version=4)
    current = {"index": None, "first_cell_at": None}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index
        current["first_cell_at"] = current["first_cell_at"] or time.monotonic()

    client = NotebookClient(
        nb, timeout=args.cell_timeout, kernel_name=KERNEL_NAME, startup_timeout=90,
        resources={"metadata": {"path": str(args.notebook.resolve().parent)}},
        on_cell_start=on_cell_start)

    start = time.monotonic()
    status, failed_index, why = 0, None, ""
    try:
        if not asyncio.run(execute(client, args.hang_timeout)):
            status, failed_index, why = 3, current["index"], f"was running when the notebook hit its {args.hang_timeout} s limit"
    except CellTimeoutError:
        status, failed_index, why = 3, current["index"], f"took longer than {args.cell_timeout} s"
    except CellExecutionError:
        status, failed_index, why = 1, current["index"], "failed"
    except DeadKernelError:
        status, failed_index, why = 1, current["index"], "killed the kernel"
    wall = time.monotonic() - start

    unmet = unmet_checks(nb)
    if args.sign:
        sign(nb)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)

    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    startup = (current["first_cell_at"] or start + wall) - start
    print(f"{name}: {cells} code cells, wall time {wall:.1f} s (kernel start {startup:.1f} s, "
          f"cells {wall - startup:.1f} s) -> {os.path.relpath(out)}")
    if failed_index is not None:
        report_cell(name, failed_index, nb.cells[failed_index], why)
    elif status:
        print(f"FAIL {name}: {why} before the first cell ran (kernel start?)", file=sys.stderr)
    if unmet:
        print(f"{name}: {len(unmet)} exercise check(s) not met:\n" + indent("\n".join(unmet)),
              file=sys.stderr if args.strict_checks else sys.stdout)
        if args.strict_checks and status == 0:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
