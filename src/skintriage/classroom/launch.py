"""``make session``: the class server and the instructor's console (Voilà) together; Ctrl-C stops both.

``--lan`` binds the class server to the clinic network (phones join over Wi-Fi); the console always stays on
127.0.0.1, so only this laptop can drive the session.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from skintriage import course
from skintriage.classroom.run import read_server_file, server_file
from skintriage.register import voila_class
from skintriage.store import data_dir


def console_command(port: int) -> list[str]:
    """The instructor's console, run as every course app is (skintriage.web.voila_book: only the book as files)."""
    return voila_class.plain_command("notebooks/instructor_session.ipynb", port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make session", description=__doc__.splitlines()[0])
    parser.add_argument("--lan", action="store_true", help="phones join over the clinic network")
    parser.add_argument("--class-port", type=int, default=int(os.environ.get("SKINTRIAGE_CLASS_PORT", 8868)))
    parser.add_argument("--console-port", type=int, default=8867)
    args = parser.parse_args(argv)
    root = course.course_root()

    info_path = server_file(data_dir())
    info_path.unlink(missing_ok=True)
    server_command = [sys.executable, "-m", "skintriage.classroom", "--port", str(args.class_port)]
    server = subprocess.Popen(server_command + (["--lan"] if args.lan else []), cwd=root)
    deadline = time.monotonic() + 60
    while read_server_file(info_path) is None:
        if server.poll() is not None or time.monotonic() > deadline:
            print("The class server did not start (see the message above).", file=sys.stderr)
            server.terminate()
            return 1
        time.sleep(0.2)
    info = read_server_file(info_path)

    console = subprocess.Popen(
        console_command(args.console_port), cwd=root, env=voila_class.voila_env(root), stderr=subprocess.DEVNULL
    )
    print(
        f"\nLive session running.\n  Console (this laptop only): http://127.0.0.1:{args.console_port}/\n"
        f"  Trainees join at:          {info['join_url']}\n"
        f"  Data: {data_dir()} (answers are in skintriage.db)\nPress Ctrl-C to stop both.\n",
        flush=True,
    )
    try:
        while server.poll() is None and console.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in (console, server):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (console, server):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
