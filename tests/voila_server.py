"""Serve a notebook with Voilà on localhost for browser tests (the offline-lab template: no CDN requests)."""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from skintriage.web.voila_book import BOOK_URL, FILE_FLAGS

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# As `make voila` and `make session` do: Voila serves the built book under /voila/files/, and the apps' "Read
# again" links point there (skintriage.web.voila_book).


def voila_command(notebook: Path, port: int) -> list[str]:
    voila = Path(sys.executable).with_name("voila")
    return [
        str(voila),
        str(notebook.relative_to(ROOT)),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--template=offline-lab",  # Voila's lab template minus its Font Awesome CDN links
        *FILE_FLAGS,
    ]


@contextlib.contextmanager
def running_voila(command_for_port: Callable[[int], list[str]], log: Path, **env: str) -> Iterator[str]:
    """Start Voila (``command_for_port`` gives its command for a free port) from the repository with the
    course's Voila template path and ``env``; wait until it answers; yield its URL; stop it afterwards.
    Records a knowledge check saves go to ``records/`` beside the log unless ``env`` names a folder."""
    port = free_port()
    env = {"SKINTRIAGE_RECORDS_DIR": str(log.parent / "records"), **env}  # never into the working tree
    environment = dict(os.environ, JUPYTER_PATH=str(ROOT / "notebooks" / "jupyter-data"), **env)
    with open(log, "w") as out:
        process = subprocess.Popen(
            command_for_port(port), cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url + "api", timeout=5)  # any answer means the server is up
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("Voila did not start:\n" + log.read_text())
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def serve_notebook(notebook: Path, log_dir: Path, records: Path | None = None) -> Iterator[str]:
    """Start Voila on a free port for ``notebook`` as `make voila` does; yield its URL; stop it afterwards.
    Saved records go to ``records`` (default: ``records/`` in ``log_dir``)."""
    command = functools.partial(voila_command, notebook)
    env = {"SKINTRIAGE_SITE_URL": BOOK_URL}
    if records is not None:
        env["SKINTRIAGE_RECORDS_DIR"] = str(records)
    with running_voila(command, log_dir / "voila.log", **env) as url:
        yield url
