#!/usr/bin/python3
"""Runs TypeScript code in a fresh replicalab tslab kernel, as an interactive frontend would, and
prints what came back as JSON: every display message (display_data / update_display_data) with its
display id, size and the kernel's send time, plus stdout and stderr.

    /usr/bin/python3 test/views/kernel-driver.py CODE_FILE

Used by test/views/notebook.test.ts to see a live view update ONE display entry, paced (this script is
not a headless runner, so the kernel counts as interactive). Jupyter's files stay in .jupyter/ (the
caller sets JUPYTER_PATH and friends).
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel


def main(code_file):
    code = open(code_file, encoding="utf-8").read()
    started = time.monotonic()
    km, kc = start_new_kernel(kernel_name="replicalab-ts", startup_timeout=240)
    ready = time.monotonic()
    try:
        msg_id = kc.execute(code, allow_stdin=False)
        displays, stdout, stderr = [], [], []
        while True:
            msg = kc.get_iopub_msg(timeout=240)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            content = msg["content"]
            if kind in ("display_data", "update_display_data"):
                html = content.get("data", {}).get("text/html", "")
                date = msg["header"].get("date")
                displays.append({
                    "type": kind,
                    "id": content.get("transient", {}).get("display_id"),
                    "bytes": len(html),
                    "at": date.timestamp() if hasattr(date, "timestamp") else None,
                    "finished": "finished" in html,
                })
            elif kind == "stream":
                (stdout if content["name"] == "stdout" else stderr).append(content["text"])
            elif kind == "status" and content["execution_state"] == "idle":
                break
        reply = kc.get_shell_msg(timeout=60)
        while reply["msg_type"] != "execute_reply" or reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=60)
        print(json.dumps({
            "status": reply["content"]["status"],
            "kernelStartMs": round((ready - started) * 1000),
            "displays": displays,
            "stdout": "".join(stdout),
            "stderr": "".join(stderr),
        }))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main(sys.argv[1])
