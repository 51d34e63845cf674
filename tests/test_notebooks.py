"""Every notebook in notebooks/ runs from top to bottom (at a small size) without error."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def images(nb) -> int:
    """How many PNG outputs the executed notebook holds."""
    return sum("image/png" in out.get("data", {})
               for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, monkeypatch, tmp_path):
    # the kernel is a child process and inherits this environment
    monkeypatch.setenv("ISOLATION_SIM_RESIDENTS", "600")
    monkeypatch.setenv("ISOLATION_SIM_WEEKS", "26")
    monkeypatch.setenv("ISOLATION_SIM_REPLICATES", "3")
    monkeypatch.setenv("ISOLATION_SIM_SAMPLES", "2")
    monkeypatch.setenv("ISOLATION_SIM_OUT", str(tmp_path / "out"))
    nb = nbformat.read(path, as_version=4)
    # "python3" is ipykernel's spec, launched with this interpreter (sys.executable)
    client = NotebookClient(nb, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
    client.execute()  # raises CellExecutionError on the first failing cell

    errors = [out for cell in nb.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert not errors, errors
    if path.name == "01_quickstart.ipynb":
        assert images(nb) >= 1, "the quickstart showed no figure"
    if path.name == "02_stability_vs_dynamics.ipynb":
        assert images(nb) >= 3, "the comparison showed too few figures"
        assert (tmp_path / "out" / "report.html").exists()
    if path.name == "03_sweeps_and_sensitivity.ipynb":
        assert images(nb) >= 2, "the sensitivity analysis showed too few figures"
        assert (tmp_path / "out" / "levers_morris" / "analysis" / "indices.csv").exists()


def test_quickstart_is_there():
    assert NOTEBOOKS_DIR / "01_quickstart.ipynb" in NOTEBOOKS
