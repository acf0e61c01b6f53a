"""Run the real class server (``python -m skintriage.classroom``) as a separate process for tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]


class ClassServerProcess:
    """One class server on a fixed port with its own data folder; ``kill()`` is SIGKILL, ``start()`` restarts."""

    def __init__(self, data_dir: Path, database_url: str, port: int | None = None, **env: str):
        from tests.voila_server import free_port

        self.data_dir = data_dir
        self.database_url = database_url
        self.port = port or free_port()
        self.extra_env = env
        self.process: subprocess.Popen | None = None
        self.log = data_dir / "class-server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def info(self) -> dict:
        return json.loads((self.data_dir / "class-server.json").read_text())

    @property
    def token(self) -> str:
        return self.info["token"]

    def env(self) -> dict:
        return dict(
            os.environ,
            SKINTRIAGE_DATA_DIR=str(self.data_dir),
            SKINTRIAGE_DATABASE_URL=self.database_url,
            **self.extra_env,
        )

    def start(self) -> ClassServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "class-server.json").unlink(missing_ok=True)
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "skintriage.classroom", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the class server did not start:\n" + self.log.read_text())
            if (self.data_dir / "class-server.json").exists():
                try:
                    httpx.get(self.url + "api/instructor/room", timeout=2)
                    return self
                except httpx.TransportError:
                    pass
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, like a crash or a pulled plug."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def instructor(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, headers={"Authorization": f"Bearer {self.token}"})


class Instructor:
    """The instructor's API, with the token read fresh from the data folder (it changes at each restart)."""

    def __init__(self, server: ClassServerProcess):
        self.server = server

    def call(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.server.token}"}
        return httpx.request(method, self.server.url + path.lstrip("/"), headers=headers, timeout=30, **kwargs)

    def ok(self, method: str, path: str, **kwargs) -> dict:
        response = self.call(method, path, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def open_room(self, new: bool = False) -> dict:
        return self.ok("POST", "/api/instructor/session" + ("?new=1" if new else ""))

    def open_poll(self, case_id: str, question_id: str, round: int | None = None) -> dict:
        body = {"case_id": case_id, "question_id": question_id}
        if round:
            body["round"] = round
        return self.ok("POST", "/api/instructor/poll", json=body)

    def close(self, poll: int) -> dict:
        return self.ok("POST", "/api/instructor/close", json={"poll": poll})

    def reveal(self, poll: int) -> dict:
        return self.ok("POST", "/api/instructor/reveal", json={"poll": poll})

    def room(self) -> dict:
        return self.ok("GET", "/api/instructor/room")
