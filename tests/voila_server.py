"""Serve a notebook with Voilà on localhost for browser tests, started as `make voila` starts it
(skintriage.register.voila_class: the offline-lab template, no CDN requests, the book served as files)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from skintriage.register import voila_class
from skintriage.register.voila_class import free_port  # noqa: F401  (other test helpers import it from here)

ROOT = Path(__file__).resolve().parents[1]


def voila_command(notebook: Path, port: int) -> list[str]:
    return voila_class.plain_command(notebook.relative_to(ROOT), port)


@contextlib.contextmanager
def running_voila(command_for_port: Callable[[int], list[str]], log: Path, **env: str) -> Iterator[str]:
    """Start Voila (``command_for_port`` gives its command for a free port) from the repository with the
    course's Voila template path and ``env``; wait until it answers; yield its URL; stop it afterwards.
    Records a knowledge check saves go to ``records/`` beside the log unless ``env`` names a folder."""
    with serving(command_for_port, log, **env) as served:
        yield served.url


@contextlib.contextmanager
def serving(command_for_port: Callable[[int], list[str]], log: Path, **env: str) -> Iterator[voila_class.Served]:
    """As :func:`running_voila`, yielding the URL and the server's process."""
    env = {"SKINTRIAGE_RECORDS_DIR": str(log.parent / "records"), **env}  # never into the working tree
    try:
        with voila_class.serve(command_for_port, root=ROOT, log=log, env=voila_class.voila_env(ROOT, **env)) as served:
            yield served
    except voila_class.VoilaDidNotStart as error:
        pytest.fail(str(error))


@contextlib.contextmanager
def serve_notebook(notebook: Path, log_dir: Path, records: Path | None = None) -> Iterator[str]:
    """Start Voila on a free port for ``notebook`` as `make voila` does; yield its URL; stop it afterwards.
    Saved records go to ``records`` (default: ``records/`` in ``log_dir``)."""
    command = functools.partial(voila_command, notebook)
    env = {"SKINTRIAGE_RECORDS_DIR": str(records)} if records is not None else {}
    with running_voila(command, log_dir / "voila.log", **env) as url:
        yield url
