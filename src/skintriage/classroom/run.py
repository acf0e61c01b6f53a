"""Start the class server: ``python -m skintriage.classroom [--lan] [--port N] [--database-url URL]``.

On start it migrates the database, creates a fresh instructor token and writes ``class-server.json`` (address
and token, readable by its owner only) to the data folder, where the instructor's console finds it.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import sys
from pathlib import Path

SERVER_FILE = "class-server.json"


def lan_address() -> str:
    """This machine's address on the local network (a UDP connect sends nothing; it only picks a route)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def server_file(data: Path | None = None) -> Path:
    from skintriage.store import data_dir

    return (data or data_dir()) / SERVER_FILE


def write_server_file(path: Path, info: dict) -> None:
    """Write the instructor token so only this user can read it (created 0600, never widened)."""
    temporary = path.with_suffix(".tmp")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(info, out)
    os.replace(temporary, path)


def read_server_file(path: Path | None = None) -> dict | None:
    path = path or server_file()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skintriage.classroom", description=__doc__.splitlines()[0])
    parser.add_argument("--lan", action="store_true", help="listen on the clinic network, not only this machine")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SKINTRIAGE_CLASS_PORT", 8868)))
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: SQLite in the data folder)")
    args = parser.parse_args(argv)

    import uvicorn

    from skintriage.bank.loader import load_bank
    from skintriage.classroom.server import create_app
    from skintriage.classroom.store import ClassroomStore
    from skintriage.store import data_dir, database_url, make_engine, upgrade

    url = database_url(args.database_url)
    upgrade(url)
    host = "0.0.0.0" if args.lan else "127.0.0.1"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, args.port))
    except OSError as exc:
        print(
            f"cannot listen on {host}:{args.port}: {exc.strerror}. Is a class server already running? "
            f"Choose another port with SKINTRIAGE_CLASS_PORT.",
            file=sys.stderr,
        )
        return 2
    sock.listen(2048)  # connections queue from now on, so the address can be announced before uvicorn starts
    port = sock.getsockname()[1]
    public_host = lan_address() if args.lan else "127.0.0.1"
    join_base = f"http://{public_host}:{port}/"
    token = secrets.token_urlsafe(32)
    info = {"url": f"http://127.0.0.1:{port}/", "join_url": join_base, "token": token, "pid": os.getpid()}
    write_server_file(server_file(data_dir()), info)

    engine = make_engine(url)
    app = create_app(ClassroomStore(engine), load_bank(), token, join_base)
    print(f"Class server: trainees join at {join_base}", flush=True)
    shown_url = url.split("@")[-1] if "@" in url else url  # never print a database password
    print(f"Data: {shown_url}; instructor token in {server_file(data_dir())}", flush=True)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, timeout_graceful_shutdown=2, timeout_keep_alive=30
    )
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
