"""Packaging: the conda environment file follows the requirements, the lock files carry hashes, and the package
works installed from its wheel, away from the repository."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_environment_writer():
    spec = importlib.util.spec_from_file_location("environment", ROOT / "requirements" / "environment.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_environment_yml_is_generated_from_the_requirements():
    writer = load_environment_writer()
    assert (ROOT / "environment.yml").read_text(encoding="utf-8") == writer.environment_yml(), (
        "environment.yml is out of step with requirements/*.in: run `make lock`"
    )


def test_every_pin_in_the_locks_is_hashed():
    for lock in ("dev.lock", "apps.lock"):
        text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
        pins = [line for line in text.splitlines() if "==" in line and not line.startswith("#")]
        assert pins, lock
        assert all(line.rstrip().endswith("\\") for line in pins), f"{lock}: a pin without --hash"


def test_apps_lock_agrees_with_dev_lock():
    def pins(name):
        lines = (ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines()
        return dict(line.split(" ")[0].split("==") for line in lines if "==" in line and not line.startswith("#"))

    dev, apps = pins("dev.lock"), pins("apps.lock")
    assert {name: dev.get(name) for name in apps} == apps


@pytest.mark.slow
def test_the_shipped_bank_validates_from_an_installed_wheel(tmp_path):
    """Build the wheel, install it (and only what it declares) in a fresh venv, validate the shipped bank there."""
    # Built from a copy of what the wheel holds, so the build leaves nothing behind in the working tree.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(wheels), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = wheels.glob("skintriage-*.whl")
    # The site's scripts and styles (static/, with its core/ and ui/ folders) are package data too.
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    static = [
        p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src/skintriage/static").rglob("*") if p.is_file()
    ]
    assert any("/core/" in name for name in static) and not set(static) - shipped, sorted(set(static) - shipped)
    venv_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv_dir)], check=True, timeout=300)
    installed = subprocess.run(
        [str(venv_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SKINTRIAGE_", "PYTHON"))}
    outside = subprocess.run(
        [str(venv_dir / "bin" / "skintriage"), "validate"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert outside.returncode == 0, outside.stdout + outside.stderr
    assert "cases valid in the shipped bank" in outside.stdout
    assert "not checked: no course folder here" in outside.stderr  # said, not silently skipped

    # Inside the course folder the same installed package checks references and section links too.
    inside = subprocess.run(
        [str(venv_dir / "bin" / "skintriage"), "validate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert inside.returncode == 0, inside.stdout + inside.stderr
    assert "not checked" not in inside.stderr
