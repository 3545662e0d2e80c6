"""Notebooks as saved state (RPL9xx): the order their cells ran in, outputs no run of the notebook produced, and
names that only a later cell defines. Pimentel et al. (MSR 2019) found a third of the notebooks with an unambiguous
order executed out of order, and that those rarely reproduce their own outputs."""
import json

from reprolint.discover import NOTEBOOK
from reprolint.model import Hit, Severity, rule
from reprolint.project.files import is_test_file


def _notebook(*cells) -> str:
    """An example notebook: each cell is (source, execution count, has output)."""
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "execution_count": count, "metadata": {}, "source": source,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "0.93\n"}] if output else []}
        for source, count, output in cells]}, indent=1)


def _state(file) -> dict:
    data = file.facts.data
    if file.kind != NOTEBOOK or is_test_file(file.rel) or not isinstance(data, dict) or "state" not in data:
        return {}
    return data


@rule(
    code="RPL901", name="notebook-out-of-order", area="Notebooks", severity=Severity.WARNING,
    summary="A notebook whose cells were last run in another order than the one they are saved in",
    why="""
        The execution counts say in which order the cells ran before the notebook was saved. When a cell below ran
        before a cell above, the saved outputs come from a kernel state that running the notebook from top to
        bottom does not rebuild: a reader who does so gets other numbers, or an error.
    """,
    fix="Restart the kernel and run all cells from the top (Kernel > Restart & Run All), then save.",
    per_file=True,
    example={"analysis.ipynb": _notebook(("import numpy as np\n", 1, False), ("x = np.zeros(3)\n", 3, False),
                                         ("print(x.sum())\n", 2, True))},
    use_instead={"analysis.ipynb": _notebook(("import numpy as np\n", 1, False), ("x = np.zeros(3)\n", 2, False),
                                             ("print(x.sum())\n", 3, True))},
)
def notebook_out_of_order(file, project):
    counted = [(cell, count, line) for cell, count, _, line in _state(file).get("state", ()) if count is not None]
    highest = None
    for cell, count, line in counted:
        if highest is not None and count < highest[1]:
            order = ", ".join(str(c) for _, c, _ in counted[:12]) + (", ..." if len(counted) > 12 else "")
            yield Hit(file.rel, line, f"cell {cell} ran (execution {count}) before cell {highest[0]} above it "
                                      f"(execution {highest[1]}): the cells ran in the order {order}, so the saved "
                                      f"outputs are not what a run from the top gives")
            return
        highest = (cell, count) if highest is None or count > highest[1] else highest


@rule(
    code="RPL902", name="notebook-outputs-without-run", area="Notebooks", severity=Severity.INFO,
    summary="A notebook cell saved with outputs but no execution count",
    why="""
        A code cell with outputs and no execution count was not run in the session that saved the notebook: its
        outputs were kept from an earlier session, pasted, or the counts were stripped. Nobody can tell which code
        produced them.
    """,
    fix="Run the notebook from the top and save it with its execution counts, or clear the stale outputs.",
    per_file=True,
    example={"analysis.ipynb": _notebook(("import numpy as np\n", None, False),
                                         ("print(np.zeros(3).sum())\n", None, True))},
    use_instead={"analysis.ipynb": _notebook(("import numpy as np\n", 1, False),
                                             ("print(np.zeros(3).sum())\n", 2, True))},
)
def notebook_outputs_without_run(file, project):
    stale = [(cell, line) for cell, count, outputs, line in _state(file).get("state", ()) if outputs and count is None]
    if stale:
        cells = ", ".join(str(cell) for cell, _ in stale[:10]) + (", ..." if len(stale) > 10 else "")
        noun = "cell" if len(stale) == 1 else f"{len(stale)} cells"
        yield Hit(file.rel, stale[0][1], f"{noun} ({cells}) saved with outputs but no execution count: the outputs "
                                         f"did not come from the run that saved the notebook")


@rule(
    code="RPL903", name="notebook-name-defined-later", area="Notebooks", severity=Severity.WARNING,
    summary="A notebook cell uses a name that only a cell further down defines",
    why="""
        The cell worked when it was run because a cell below it had already been run in the same kernel. Run from
        top to bottom, as a reader does, the notebook stops here with a NameError (or uses a value left from
        something else).
    """,
    fix="Move the cell that defines the name above the first cell that uses it, then restart and run all cells.",
    per_file=True,
    example={"analysis.ipynb": _notebook(("print(scores.mean())\n", None, False),
                                         ("import numpy as np\nscores = np.ones(3)\n", None, False))},
    use_instead={"analysis.ipynb": _notebook(("import numpy as np\nscores = np.ones(3)\n", None, False),
                                             ("print(scores.mean())\n", None, False))},
)
def notebook_name_defined_later(file, project):
    for name, line, cell, binder in _state(file).get("defined_later", ()):
        yield Hit(file.rel, line, f"`{name}` is used in cell {cell} but first defined in cell {binder} below it: run "
                                  f"from the top, the notebook fails here with a NameError",
                  fix=f"Move the definition of `{name}` (cell {binder}) above cell {cell}.")
