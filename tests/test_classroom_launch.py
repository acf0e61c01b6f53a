"""`make session` (skintriage.classroom.launch): starts the class server and the console, prints the join address,
and Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from skintriage.classroom.run import lan_address
from tests.voila_server import ROOT, free_port


@pytest.mark.server
def test_make_session_starts_both_prints_the_address_and_ctrl_c_stops_both(tmp_path):
    class_port, console_port = free_port(), free_port()
    env = dict(os.environ, SKINTRIAGE_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    env.pop("SKINTRIAGE_DATABASE_URL", None)
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "skintriage.classroom.launch",
            "--class-port",
            str(class_port),
            "--console-port",
            str(console_port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        while not any("Press Ctrl-C" in line for line in lines):
            line = launcher.stdout.readline()
            if not line:
                pytest.fail("make session ended early:\n" + "".join(lines))
            lines.append(line)
        output = "".join(lines)
        assert f"Trainees join at:          http://127.0.0.1:{class_port}/" in output
        assert f"http://127.0.0.1:{console_port}/" in output and str(tmp_path) in output
        assert httpx.get(f"http://127.0.0.1:{class_port}/", timeout=30).status_code == 200
        assert (tmp_path / "skintriage.db").exists()
        deadline = time.monotonic() + 180
        while True:  # Voila takes a while to start
            try:
                httpx.get(f"http://127.0.0.1:{console_port}/", timeout=30)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the console did not start"
                time.sleep(0.5)
        launcher.send_signal(signal.SIGINT)  # Ctrl-C
        assert launcher.wait(timeout=60) == 0
        for port in (class_port, console_port):
            with pytest.raises(httpx.TransportError):
                httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
    finally:
        if launcher.poll() is None:
            launcher.kill()


def test_lan_address_is_an_ipv4_address():
    parts = lan_address().split(".")
    assert len(parts) == 4 and all(part.isdigit() and 0 <= int(part) <= 255 for part in parts)
