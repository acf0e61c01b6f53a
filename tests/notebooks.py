"""Run a course notebook in a real kernel with some parameters set, and read what it showed."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def parameterised(path: Path, **parameters) -> nbformat.NotebookNode:
    """Papermill-style: the values are set after the cell tagged `parameters`, which keeps its other defaults."""
    notebook = nbformat.read(path, as_version=4)
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    cells[0].source += "\n" + "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    return notebook


def run_notebook(path: Path, timeout: int = 240, **parameters) -> nbformat.NotebookNode:
    """Execute the notebook top to bottom in its own folder (as Voila and JupyterLab run it)."""
    notebook = parameterised(path, **parameters)
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    return notebook


def outputs_text(notebook: nbformat.NotebookNode) -> str:
    """Cell outputs plus the saved widget state (apps render into Output widgets)."""
    parts = [json.dumps(notebook.metadata.get("widgets", {}))]
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.extend(str(v) for v in output.get("data", {}).values())
            parts.append(output.get("text", ""))
    return "\n".join(parts)
