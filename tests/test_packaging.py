"""Packaging: the conda environment file follows the requirements, and the lock files carry hashes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

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
