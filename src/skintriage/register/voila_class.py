"""A kernel manager with a cap, for serving the knowledge check to a class with Voila.

Voila starts one kernel (about 110 MB) per page view. Culling (jupyter-server's ``cull_idle_timeout``) ends
kernels left behind by closed browsers, and preheating (Voila's ``preheat_kernel``) keeps a few kernels ready;
this cap makes sure a burst of page views cannot start more kernels than the machine can hold. The trainee past
the cap gets Voila's error page (the offline-lab template's: a clear message and "Try again"), not a blank page.

Use: ``--VoilaConfiguration.multi_kernel_manager_class=skintriage.register.voila_class.CappedKernelManager
--CappedKernelManager.max_kernels=30`` (``make voila`` does).
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Int

from skintriage.web.voila_book import FILE_FLAGS, book_env


class CappedKernelManager(AsyncMappingKernelManager):
    max_kernels = Int(30, config=True, help="Most kernels running at once (pre-heated ones included).")

    async def start_kernel(self, *args, **kwargs):
        if kwargs.get("kernel_id") is None and len(self.list_kernel_ids()) >= self.max_kernels:
            raise web.HTTPError(
                503,
                reason=f"The knowledge check is full ({self.max_kernels} at once). Please try again in a few minutes.",
            )
        return await super().start_kernel(*args, **kwargs)


# Voila's own options for a class: kernels kept ready, idle and orphaned kernels culled, a cap on kernels.
POOL_SIZE = 4
IDLE_MINUTES = 30
MAX_KERNELS = 30


def class_flags(
    *, pool_size: int = POOL_SIZE, max_kernels: int = MAX_KERNELS, idle_minutes: int = IDLE_MINUTES
) -> list[str]:
    """Voila's options for a class; ``pool_size=0`` turns pre-heating off (kernels start per page view)."""
    preheat = (
        [
            # Pre-heated kernels: the notebook is already executed when a trainee opens the page.
            "--preheat_kernel=True",
            f"--pool_size={pool_size}",
        ]
        if pool_size > 0
        else []
    )
    return [
        "--template=offline-lab",
        "--Voila.ip=127.0.0.1",
        "--no-browser",
        *preheat,
        # A kernel nobody is connected to (the browser was closed) is shut down after this long idle; a
        # trainee still on the page is connected and is never culled.
        f"--MappingKernelManager.cull_idle_timeout={idle_minutes * 60}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        "--VoilaConfiguration.multi_kernel_manager_class=skintriage.register.voila_class.CappedKernelManager",
        f"--CappedKernelManager.max_kernels={max_kernels}",
        *FILE_FLAGS,
    ]


def command(notebook: str, port: int, **options) -> list[str]:
    import sys
    from pathlib import Path

    voila = str(Path(sys.executable).with_name("voila"))
    return [voila, notebook, f"--port={port}", *class_flags(**options)]


if __name__ == "__main__":  # python -m skintriage.register.voila_class NOTEBOOK [PORT]
    import os
    import sys

    args = sys.argv[1:]
    if not args:
        raise SystemExit("usage: python -m skintriage.register.voila_class NOTEBOOK [PORT]")
    argv = command(args[0], int(args[1]) if len(args) > 1 else 8866)
    os.execve(argv[0], argv, book_env(os.environ))
