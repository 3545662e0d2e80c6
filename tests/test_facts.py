"""Per-file facts: names resolved through aliases, scopes, literal arguments, notebooks, suppressions."""
from reprolint.facts import MAIN, Ref, extract


def py(source: str):
    return extract("m.py", "python", source.encode()).python


def test_calls_and_flags_resolve_through_import_aliases():
    facts = py(
        "import torch as th\n"
        "import numpy as onp\n"
        "from torch.backends import cudnn\n"
        "import torch.backends.cudnn as cb\n"
        "th.manual_seed(0)\n"
        "onp.random.seed(seed=1)\n"
        "cudnn.benchmark = True\n"
        "cb.deterministic = False\n"
    )
    assert [(c.name, c.args, c.kwargs) for c in facts.calls] == [
        ("torch.manual_seed", (0,), {}), ("numpy.random.seed", (), {"seed": 1})]
    assert [(a.target, a.value) for a in facts.assigns] == [
        ("torch.backends.cudnn.benchmark", True), ("torch.backends.cudnn.deterministic", False)]


def test_scopes_main_guard_functions_and_methods():
    facts = py(
        "import random\n"
        "class Trainer:\n"
        "    def fit(self):\n"
        "        self.step()\n"
        "    def step(self):\n"
        "        random.random()\n"
        "def main(lr=0.1):\n"
        "    Trainer().fit()\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    )
    assert facts.main_guard == 9
    assert facts.functions == {"Trainer.fit": (3, ["self"]), "Trainer.step": (5, ["self"]), "main": (7, ["lr"])}
    assert [(c.name, c.scope) for c in facts.calls] == [
        ("self.step", "Trainer.fit"), ("random.random", "Trainer.step"), ("Trainer().fit", "main"), ("Trainer", "main"),
        ("main", MAIN)]


def test_non_literal_arguments_are_references():
    facts = py("import time\nimport numpy as np\nnp.random.seed(int(time.time()))\nnp.random.seed(args.seed)\n"
               "np.random.default_rng(time.time_ns() % 2**32)\nseed = int(time.time())\n")
    # a conversion or arithmetic keeps what the value derives from
    assert [c.args for c in facts.calls if c.name.startswith("numpy")] == [
        (Ref("call", "time.time"),), (Ref("attr", "args.seed"),), (Ref("call", "time.time_ns"),)]
    assert [(a.target, a.value) for a in facts.assigns] == [("seed", Ref("call", "time.time"))]


def test_imports_relative_optional_and_lazy():
    facts = py("from . import utils\nfrom ..pkg.mod import f as g\ntry:\n    import apex\nexcept ImportError:\n"
               "    apex = None\ndef lazy():\n    import wandb\n")
    assert [(i.module, i.name, i.alias, i.guarded) for i in facts.imports] == [
        (".", "utils", "utils", False), ("..pkg.mod", "f", "g", False), ("apex", None, "apex", True),
        ("wandb", None, "wandb", False)]  # a lazy import is still a dependency


def test_environment_variables_set_in_code_are_recorded():
    facts = py('import os\nos.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"\n')
    assert [(a.target, a.value) for a in facts.assigns] == [("os.environ[CUBLAS_WORKSPACE_CONFIG]", ":4096:8")]


def test_suppression_comments():
    facts = extract("m.py", "python", b"x = 1  # reprolint: ignore[RPL101, rpl2]\ny = 2  # reprolint: ignore\n"
                                      b"# reprolint: ignore-file[RPL5]\n")
    assert facts.suppressions == {1: ("RPL101", "RPL2"), 2: ("ALL",)}
    assert facts.file_ignores == ("RPL5",)


def test_readme_suppressions_use_html_comments_only():
    facts = extract("README.md", "readme", b"<!-- reprolint: ignore-file[RPL601] -->\n```\n# reprolint: ignore\n```\n")
    assert facts.file_ignores == ("RPL601",) and facts.suppressions == {}


def test_a_syntax_error_gives_its_position():
    facts = extract("m.py", "python", b"x = (\n")
    assert facts.python is None and facts.errors[0].line == 1


def test_non_python_notebooks_are_not_parsed():
    nb = b'{"metadata": {"kernelspec": {"language": "R"}}, "cells": [{"cell_type": "code", "source": "x <- 1"}]}'
    facts = extract("a.ipynb", "notebook", nb)
    assert facts.errors == [] and facts.python is None


def test_json_with_comments_is_valid_but_broken_json_is_not():
    jsonc = b'{\n  // the image\n  "image": "python:3.11", /* inline */\n  "url": "http://x//y",\n}\n'
    facts = extract(".devcontainer/devcontainer.json", "config", jsonc)
    assert facts.errors == [] and facts.data == {"image": "python:3.11", "url": "http://x//y"}
    broken = extract("config.json", "config", b'{\n  "a": 1\n  "b": 2\n}\n')
    assert broken.errors[0][:2] == (3, 3) and broken.errors[0].message.startswith("invalid JSON")


def test_imports_under_type_checking_are_type_only():
    facts = py("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import torch\nimport numpy\n")
    assert [(i.module, i.type_only) for i in facts.imports] == [("typing", False), ("torch", True), ("numpy", False)]
