"""The explorer's live view in a real Jupyter kernel: the book page's own cell shows the widget (and the static
HTML alongside it), and ticking a box in the kernel changes the traffic light."""

from __future__ import annotations

import textwrap
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.kernel
def test_explorer_page_runs_in_a_kernel_and_the_widget_responds():
    notebook = jupytext.read(ROOT / "book" / "explorer.md")
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(code_cells) == 1 and "remove-input" in code_cells[0].metadata.get("tags", [])
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            textwrap.dedent(
                """
        ui = Explorer().widget()
        print("BEFORE:", ui.output.value)
        ui.boxes["lesions"]["vesicles"].value = True
        print("VESICLES:", ui.output.value)
        ui.boxes["symptoms"]["unwell"].value = True
        print("UNWELL:", ui.output.value)
        """
            )
        )
    )
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "book")}}
    ).execute()
    shown = code_cells[0].outputs
    data = next(o["data"] for o in shown if o.output_type == "execute_result")
    assert "application/vnd.jupyter.widget-view+json" in data
    assert 'class="skt-explorer"' in data["text/html"] and "not a diagnostic device" in data["text/html"]
    text = "".join(o.get("text", "") for o in notebook.cells[-1].outputs if o.output_type == "stream")
    before, rest = text.split("VESICLES:")
    vesicles, unwell = rest.split("UNWELL:")
    assert "Nothing ticked yet" in before and "Monitor" not in before  # an empty form gives no verdict
    assert "Red: Prescriber the same day" in vesicles and "Herpes simplex" in vesicles
    assert "Emergency: Urgent care now" in unwell
