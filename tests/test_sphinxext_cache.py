"""The extension clears jupyter-cache when the course's inputs change; it must never delete anything else.

jupyter-book's default for `execute.cache` is empty, and an empty path joined to the source folder is the
source folder itself. These builds run a tiny book with `cache` unset and check the sources survive.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.kernel

PAGE = textwrap.dedent(
    """\
    ---
    jupytext:
      text_representation:
        format_name: myst
    kernelspec:
      name: python3
      display_name: Python 3
    ---
    # A page

    ```{code-cell} python3
    print("ran")
    ```
    """
)


def make_book(root: Path, execute: dict[str, str]) -> None:
    execute_lines = "".join(f"  {key}: {value}\n" for key, value in execute.items())
    (root / "_config.yml").write_text(
        "title: cache test\nonly_build_toc_files: true\nexecute:\n"
        + execute_lines
        + "sphinx:\n  extra_extensions:\n    - skintriage.sphinxext\n"
    )
    (root / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    (root / "page.md").write_text(PAGE)
    (root / "notes.txt").write_text("a file the build must leave alone\n")


def build(root: Path) -> subprocess.CompletedProcess:
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run(
        [str(jupyter_book), "build", str(root), "--builder", "html"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
    )


def test_unset_cache_path_leaves_the_source_tree_intact(tmp_path):
    make_book(tmp_path, {"execute_notebooks": "cache"})
    first = build(tmp_path)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    # A second build with changed inputs takes the "clear the cache" path again.
    (tmp_path / "_build" / ".jupyter_cache.skintriage-inputs.txt").write_text("changed changed")
    second = build(tmp_path)
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    assert (tmp_path / "page.md").read_text() == PAGE
    assert (tmp_path / "notes.txt").exists()
    assert (tmp_path / "_build" / "html" / "page.html").exists()


def test_a_cache_path_that_is_not_a_jupyter_cache_is_never_deleted(tmp_path):
    make_book(tmp_path, {"execute_notebooks": "cache", "cache": "keep_me"})
    keep = tmp_path / "keep_me"
    keep.mkdir()
    (keep / "precious.txt").write_text("not a cache")
    result = build(tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (keep / "precious.txt").read_text() == "not a cache"
    assert "holds no jupyter-cache database" in result.stdout + result.stderr
