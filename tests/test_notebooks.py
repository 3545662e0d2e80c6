"""Notebooks as saved state (RPL9xx): execution order, stale outputs, names defined further down; exact findings."""
import pytest

from tests.conftest import FIXTURES, found, run

NOTEBOOKS = FIXTURES / "notebooks"


@pytest.mark.parametrize("fixture, expected", [
    ("out_of_order", {("RPL901", "analysis.ipynb", "cell 4:1")}),  # execution 2 below execution 3
    ("in_order", set()),  # gaps in the counts (a cell re-run) and an unexecuted cell keep the order
    ("stale_outputs", {("RPL902", "analysis.ipynb", "cell 2:1")}),  # one finding for the notebook, at its first
    ("defined_later", {("RPL903", "analysis.ipynb", "cell 2:4")}),  # `model`; not `helper`, read when called
    ("star_import", set()),  # the star import may define `model`
    ("run_magic", set()),  # so may `%run`
])
def test_notebook_findings(fixture, expected):
    assert found(NOTEBOOKS / fixture, select=["RPL9"]) == expected


def test_messages_name_the_cells():
    [order] = run(NOTEBOOKS / "out_of_order", select=["RPL901"]).findings
    assert "cell 4 ran (execution 2) before cell 3 above it (execution 3)" in order.message
    assert "1, 3, 2, 4" in order.message
    [stale] = run(NOTEBOOKS / "stale_outputs", select=["RPL902"]).findings
    assert stale.message.startswith("2 cells (2, 3)")
    [later] = run(NOTEBOOKS / "defined_later", select=["RPL903"]).findings
    assert "`model` is used in cell 2 but first defined in cell 4" in later.message


def test_colab_saves_zero_for_cells_that_did_not_run(tmp_path):
    import json
    cells = [{"cell_type": "code", "execution_count": count, "metadata": {}, "outputs": [], "source": f"x{n} = 1\n"}
             for n, count in enumerate([1, 0, 2, 0, 3])]
    (tmp_path / "demo.ipynb").write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                                     "cells": cells}))
    assert found(tmp_path, select=["RPL901"]) == set()
