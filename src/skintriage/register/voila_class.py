"""Voila for the knowledge check: the one place that says how Voila is started, used by ``make voila``, the
tests (tests/voila_server.py) and the class benchmark (benchmarks/voila_class.py).

For a class (``class_flags``) Voila runs with its own options:

- pre-heated kernels (``preheat_kernel``, ``pool_size``): kernels that have already run the notebook wait for
  the class, so a trainee's page is ready as soon as it loads. A kernel taken from the pool is replaced after
  ``fill_delay`` seconds, so the replacements do not compete for the CPU with a class that is just arriving;
- idle and orphaned kernels culled (jupyter-server's ``cull_idle_timeout``): a kernel whose page was closed
  without Voila being told (a crashed browser, a lost connection) is shut down; a page still open is never
  culled. (Voila's own goodbye, a beacon sent when the page closes, is refused by jupyter-server here for want
  of an ``_xsrf`` cookie, so the culler is what frees the places of closed pages);
- a cap on kernels (:class:`CappedKernelManager`, about 110 MB each): past it a trainee gets the "room is full"
  page, which says so and tries again by itself (the offline-lab template's error page), never a blank page;
- generous kernel and output timeouts: on a busy machine a kernel can take longer than nbclient's 4 seconds
  to send its output, and a page whose output was given up on would stay blank.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Int

from skintriage.web.voila_book import FILE_FLAGS, book_env, launcher

# The trainee's page needs only the widgets' front end; the other JupyterLab extensions in the environment
# (jupytext, pygments) would be downloaded and run by every trainee's browser for nothing.
PAGE_EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]

FULL_MESSAGE = "The knowledge check is full ({cap} at once)."


class CappedKernelManager(AsyncMappingKernelManager):
    """jupyter-server's kernel manager with a cap on running kernels (pre-heated ones included)."""

    max_kernels = Int(30, config=True, help="Most kernels running at once (pre-heated ones included).")

    async def start_kernel(self, *args, **kwargs):
        if kwargs.get("kernel_id") is None and len(self.list_kernel_ids()) >= self.max_kernels:
            # Voila's error page (the offline-lab template's) shows this reason and retries by itself.
            raise web.HTTPError(503, reason=FULL_MESSAGE.format(cap=self.max_kernels) + " Please wait.")
        return await super().start_kernel(*args, **kwargs)

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        result = await super().shutdown_kernel(kernel_id, *args, **kwargs)
        self._refill_pools()
        return result

    def _refill_pools(self) -> None:
        """A pool refill refused at the cap would leave the pool short for good (Voila refills only when a
        kernel is taken); once a kernel has gone, drop the refused refills and top the pool up again."""
        pools = getattr(self, "_pools", None)  # set by Voila's pre-heating subclass of this manager
        if not pools:
            return
        for notebook, pool in pools.items():
            failed = [task for task in pool if task.done() and (task.cancelled() or task.exception() is not None)]
            for task in failed:
                pool.remove(task)
            if failed:
                self.fill_if_needed(notebook_name=notebook)


# Voila's options for a class of about CLASS_SIZE trainees arriving together.
CLASS_SIZE = 20
IDLE_MINUTES = 30  # long enough for a phone that slept mid-exam to come back to its kernel and answers
FILL_DELAY_SECONDS = 10


@dataclass(frozen=True)
class ClassOptions:
    pool_size: int = CLASS_SIZE  # kernels kept ready; 0 turns pre-heating off (a kernel starts per page view)
    max_kernels: int = 2 * CLASS_SIZE  # the class's kernels plus a refilled pool
    idle_minutes: float = IDLE_MINUTES  # a kernel nobody is connected to is shut down after this long idle
    cull_interval_seconds: int = 60
    fill_delay_seconds: float = FILL_DELAY_SECONDS


def base_flags() -> list[str]:
    """Every Voila the course starts: on localhost, the offline-lab template (no CDN), the book as files."""
    return ["--template=offline-lab", "--Voila.ip=127.0.0.1", "--no-browser", *FILE_FLAGS]


def class_flags(options: ClassOptions | None = None, **overrides) -> list[str]:
    """Voila's options for a class (see the module's docstring); ``overrides`` are ClassOptions fields."""
    options = ClassOptions(**{**(options.__dict__ if options else {}), **overrides})
    preheat = (
        [
            "--preheat_kernel=True",
            f"--pool_size={options.pool_size}",
            f"--VoilaKernelManager.fill_delay={options.fill_delay_seconds}",
        ]
        if options.pool_size > 0
        else []
    )
    return [
        *base_flags(),
        *preheat,
        f"--MappingKernelManager.cull_idle_timeout={round(options.idle_minutes * 60)}",
        f"--MappingKernelManager.cull_interval={options.cull_interval_seconds}",
        "--MappingKernelManager.cull_connected=False",
        "--VoilaConfiguration.multi_kernel_manager_class=skintriage.register.voila_class.CappedKernelManager",
        f"--CappedKernelManager.max_kernels={options.max_kernels}",
        *(f"--VoilaConfiguration.extension_allowlist={name}" for name in PAGE_EXTENSIONS),
        # Kernels talk to Voila over Unix sockets: with TCP, kernels starting together (and any other Jupyter
        # on the machine) can be handed the same free port, and a kernel wired to another's port shows a blank
        # exam or dies ("Address already in use").
        "--KernelManager.transport=ipc",
        # nbclient gives up on a kernel's output after 4 s by default; under a class that loses the exam.
        "--VoilaExecutor.iopub_timeout=120",
        "--VoilaExecutor.startup_timeout=300",
    ]


def command(notebook: str | Path, port: int, options: ClassOptions | None = None, **overrides) -> list[str]:
    """The command for serving ``notebook`` (relative to the course folder) to a class on ``port``."""
    return [*launcher(), str(notebook), f"--port={port}", *class_flags(options, **overrides)]


def plain_command(notebook: str | Path, port: int, *extra: str) -> list[str]:
    """The command for serving ``notebook`` to one user (the console, the register, most tests)."""
    return [*launcher(), str(notebook), f"--port={port}", *base_flags(), *extra]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def voila_env(root: Path, base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """The environment Voila runs in: the course's template folder and the book's address."""
    env = book_env(dict(os.environ if base is None else base))
    env["JUPYTER_PATH"] = str(root / "notebooks" / "jupyter-data")
    env.update(extra)
    return env


class VoilaDidNotStart(RuntimeError):
    """Voila exited or did not answer in time; the message carries its log."""


@dataclass
class Served:
    url: str
    process: subprocess.Popen


@contextlib.contextmanager
def serve(
    command_for_port: Callable[[int], list[str]],
    *,
    root: Path,
    log: Path,
    env: Mapping[str, str] | None = None,
    start_timeout: float = 180,
) -> Iterator[Served]:
    """Start Voila (``command_for_port`` gives its command for a free port) in the course folder ``root``;
    wait until it answers; yield its URL and process; stop it afterwards."""
    port = free_port()
    with open(log, "w") as out:
        process = subprocess.Popen(
            command_for_port(port),
            cwd=root,
            env=dict(env) if env is not None else voila_env(root),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                urllib.request.urlopen(url + "api", timeout=5)  # any answer means the server is up
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise VoilaDidNotStart("Voila did not start:\n" + log.read_text()) from None
                time.sleep(0.5)
        yield Served(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> None:
    """``python -m skintriage.register.voila_class NOTEBOOK [PORT] [--class-size N | --one-user] [VOILA OPTIONS]``:
    ``make voila`` (a class) and ``make register`` (one user; Voila options such as ``--token`` pass through)."""
    import argparse

    from skintriage import course

    parser = argparse.ArgumentParser(
        prog="make voila", description="Serve a course notebook with Voila.", allow_abbrev=False
    )
    parser.add_argument("notebook")
    parser.add_argument("port", nargs="?", type=int, default=8866)
    parser.add_argument("--class-size", type=int, default=CLASS_SIZE, help="trainees expected at once")
    parser.add_argument("--one-user", action="store_true", help="no class options (the register, the console)")
    args, extra = parser.parse_known_args(argv)
    if extra and not args.one_user:
        parser.error(f"unrecognised arguments: {' '.join(extra)} (Voila options pass through only with --one-user)")
    if not 1 <= args.class_size <= 200:
        parser.error(f"--class-size {args.class_size}: give 1 to 200")
    root = course.course_root()
    if args.one_user:
        argv = plain_command(args.notebook, args.port, *extra)
    else:
        options = ClassOptions(pool_size=args.class_size, max_kernels=2 * args.class_size)
        argv = [*command(args.notebook, args.port, options), *extra]
    os.chdir(root)
    os.execve(argv[0], argv, voila_env(root))


if __name__ == "__main__":
    main()
