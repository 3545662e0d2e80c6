"""Hyperparameters (RPL5xx): the training recipe typed into code, where neither the README, a config file nor
`--help` shows it.

Only the calls a training run executes are judged: each training entrypoint (not tests, docs or examples that no
README command runs) is walked like the randomness rules walk it. A value counts as hidden when it is a literal
at the call, or a name bound to a literal in the code; a value that comes from argparse, click, absl, Hydra,
OmegaConf, a config file or object, or a function's parameter (the caller decides) is disclosed.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from reprolint.facts import MAIN, Ref
from reprolint.knowledge.randomness import SEED_TAKERS
from reprolint.knowledge.recipes import DROPOUTS
from reprolint.model import Hit, Severity, rule
from reprolint.project.calls import hyperparameters, seed_argument
from reprolint.project.runs import training_runs
from reprolint.readers.interface import interface_of

# Options that load a config file or override its keys (`--cfg x.yaml --opts SEED 1` in yacs, mmcv's `--cfg-options`).
_CONFIG_OPTIONS = {"--cfg", "--config", "--config-file", "--config_file", "--opts", "--options", "--cfg-options",
                   "--cfg_options", "--override", "--overrides"}
_LOOP_TARGETS = re.compile(r"epoch|^ep$|^e$|^steps?$|^iteration|^iters?$|^itr$|^global_step$", re.I)
_CONFIG_MODULE = re.compile(r"(^|[/_])(config|configs|conf|settings|hparams?|hyperparam\w*|params|constants?|"
                            r"defaults)(\.py)?$", re.I)


def _is_literal(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, (list, tuple)) and bool(value) and all(_is_literal(v) for v in value)


class _Hidden:
    """A hyperparameter's value traced to a literal: at the call, or through a name bound to one."""

    def __init__(self, parameter: str, value: Any, constant: Optional[str] = None, bound_at: int = 0,
                 name: Optional[str] = None):
        self.parameter = parameter
        self.value = value
        self.constant = constant  # an UPPER_CASE module constant's name
        self.bound_at = bound_at
        self.name = name  # the variable that holds the literal, when it is not written at the call

    def text(self) -> str:
        if self.parameter.startswith("for "):  # a loop bound: `for epoch in range(200)`
            if self.name:
                return f"{self.parameter}({self.name}) with {self.name} = {self.value!r} (line {self.bound_at})"
            return f"{self.parameter}({self.value!r})"
        if self.constant:
            return f"{self.parameter}={self.constant} with {self.constant} = {self.value!r} (line {self.bound_at})"
        return f"{self.parameter}={self.value!r}" if not self.bound_at else \
            f"{self.parameter}={self.value!r} (bound at line {self.bound_at})"


def _trace(project, rel: str, scope: str, parameter: str, value: Any) -> Optional[_Hidden]:
    if _is_literal(value):
        return _Hidden(parameter, value)
    if not isinstance(value, Ref) or value.kind != "name" or "." in value.text:
        return None  # args.lr, cfg.optim.lr, config["lr"], a call: disclosed, or not a literal
    file = project.files[rel]
    python = file.facts.python
    if scope in python.functions and value.text in python.functions[scope][1]:
        return None  # a parameter: the caller decides
    fields = file.facts.data.get("form_fields", ()) if isinstance(file.facts.data, dict) else ()
    for assign in reversed(python.assigns):
        if assign.target == value.text and assign.scope in (scope, "", MAIN) and _is_literal(assign.value):
            if assign.line in fields:
                return None  # a Colab form field (`#@param`): the notebook's own option
            if assign.scope in ("", MAIN) and value.text.isupper():
                if _in_configs(rel):
                    return None
                return _Hidden(parameter, assign.value, value.text, assign.line, value.text)
            return _Hidden(parameter, assign.value, None, assign.line, value.text)
    return None


def _findings(project):
    """(rel, line, col, call name, [_Hidden], entrypoints), a call site once however many runs reach it."""
    def compute():
        sites: dict = {}
        for entry, calls, nodes in training_runs(project):
            for node, call in calls:
                if _in_configs(node.rel) or call.name in DROPOUTS and "." in node.scope:
                    continue  # a config module, or dropout inside a model class
                found = [h for p, v in hyperparameters(call).items() if (h := _trace(project, node.rel, node.scope,
                                                                                       p, v))]
                if found:
                    site = sites.setdefault((node.rel, call.line, call.col), (call, found, []))
                    site[2].append(entry.rel)
            for loop in _loops(project, nodes):
                site = sites.setdefault((loop[0], loop[1].line, loop[1].col), (None, [loop[2]], []))
                site[2].append(entry.rel)
        return sites
    return project.shared("hidden-hyperparameters", compute)


def _loops(project, nodes: list):
    for node in nodes:
        python = project.files[node.rel].facts.python
        for loop in python.loops if python else ():
            if loop.scope == node.scope and _LOOP_TARGETS.search(loop.target) and not _in_configs(node.rel):
                hidden = _trace(project, node.rel, node.scope, f"for {loop.target} in range", loop.bound)
                if hidden is not None and isinstance(hidden.value, int) and hidden.value > 1:
                    yield node.rel, loop, hidden


def _grouped(project, constants: bool):
    """Findings of one kind (literals, or UPPER_CASE constants), with call sites that repeat the same values in
    one file reported once."""
    groups: dict = {}
    for (rel, line, col), (call, hidden, entries) in sorted(_findings(project).items()):
        kept = [h for h in hidden if bool(h.constant) == constants]
        if not kept:
            continue
        what = call.name.rsplit(".", 1)[-1] if call is not None else "training loop"
        key = (rel, what, tuple(h.text() for h in kept))
        groups.setdefault(key, []).append((line, col, entries))
    for (rel, what, texts), places in groups.items():
        line, col, entries = places[0]
        also = f" (the same at line{'s' * (len(places) > 2)} {', '.join(str(p[0]) for p in places[1:])})" \
            if len(places) > 1 else ""
        yield rel, line, col, what, texts, also


@rule(
    code="RPL501", name="hidden-hyperparameter", area="Hyperparameters", severity=Severity.WARNING,
    summary="A training hyperparameter typed into the code, not in a config file or on the command line",
    why="""
        A learning rate in an optimizer call, a batch size in a DataLoader, 200 epochs in a `range`: a reader of
        the README, the configs or `--help` cannot see them, and a reproduction that misses one trains another
        model. Re-training TRUNK without its disclosed recipe cost about 25 points of accuracy on CIFAR-10.
    """,
    fix="""
        Move the value into the config file or a command-line option with this value as its default
        (`parser.add_argument("--lr", type=float, default=0.1)`), pass it through, and list the recipe (seed
        included) in the README or one config file.
    """,
    example="""
        import torch

        torch.manual_seed(0)
        model = torch.nn.Linear(10, 2)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    """,
    use_instead="""
        import argparse

        import torch

        parser = argparse.ArgumentParser()
        parser.add_argument("--lr", type=float, default=0.1)
        args = parser.parse_args()
        torch.manual_seed(0)
        model = torch.nn.Linear(10, 2)
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    """,
)
def hidden_hyperparameter(project):
    for rel, line, col, what, texts, also in _grouped(project, constants=False):
        yield Hit(rel, line, f"{what}: {', '.join(texts)} {'is' if len(texts) == 1 else 'are'} fixed in the code, "
                             f"outside any config or command-line option{also}", col=col)


@rule(
    code="RPL502", name="hyperparameter-constant", area="Hyperparameters", severity=Severity.INFO,
    summary="A training hyperparameter from a module-level UPPER_CASE constant: visible, but not configurable",
    why="""
        A constant at the top of the script is easy to find, but changing it means editing code, and runs with
        different values leave no record of which value each used.
    """,
    fix="Make it a command-line option or a config entry whose default is the constant's value.",
    example="""
        import torch

        LEARNING_RATE = 0.1

        torch.manual_seed(0)
        model = torch.nn.Linear(10, 2)
        optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    """,
    use_instead="""
        import argparse

        import torch

        parser = argparse.ArgumentParser()
        parser.add_argument("--lr", type=float, default=0.1)
        args = parser.parse_args()
        torch.manual_seed(0)
        model = torch.nn.Linear(10, 2)
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    """,
)
def hyperparameter_constant(project):
    for rel, line, col, what, texts, also in _grouped(project, constants=True):
        yield Hit(rel, line, f"{what}: {', '.join(texts)}: a constant in the code, not an option{also}", col=col)


@rule(
    code="RPL503", name="config-without-seed", area="Hyperparameters", severity=Severity.WARNING,
    summary="A configurable training entrypoint whose options and config files have no seed",
    why="""
        The recipe is disclosed except for the one value that decides which run it was: without a seed among
        the options, two people running the documented command get two different models.
    """,
    fix="""
        Add a seed option (`--seed`, default the one you used) or a `seed:` entry in the config, and seed every
        generator from it at the start of the run.
    """,
    example="""
        import argparse

        import torch

        parser = argparse.ArgumentParser()
        parser.add_argument("--lr", type=float, default=0.1)
        parser.add_argument("--momentum", type=float, default=0.9)
        parser.add_argument("--hidden", type=int, default=64)
        args = parser.parse_args()
        model = torch.nn.Sequential(torch.nn.Linear(10, args.hidden), torch.nn.Linear(args.hidden, 2))
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    """,
    use_instead="""
        import argparse

        import torch

        parser = argparse.ArgumentParser()
        parser.add_argument("--lr", type=float, default=0.1)
        parser.add_argument("--momentum", type=float, default=0.9)
        parser.add_argument("--hidden", type=int, default=64)
        parser.add_argument("--seed", type=int, default=0)
        args = parser.parse_args()
        torch.manual_seed(args.seed)
        model = torch.nn.Sequential(torch.nn.Linear(10, args.hidden), torch.nn.Linear(args.hidden, 2))
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    """,
)
def config_without_seed(project):
    for entry, calls, _ in training_runs(project):
        interface = interface_of(project, entry.rel)
        if interface is None or (len(interface.options) <= 2 and not interface.hydra and not interface.prefixes):
            continue  # not configurable from the command line: RPL501 speaks for its values
        if any("seed" in o.lower() for o in interface.options | interface.prefixes):
            continue
        if (interface.hydra or interface.prefixes or interface.options & _CONFIG_OPTIONS) and \
                _configs_have_seed(project):
            continue  # Hydra, ml_collections, yacs `--cfg`/`--opts`, mmcv `--cfg-options`: the seed is in a config
        if any(c.name in SEED_TAKERS and _is_literal(seed_argument(c)) for _, c in calls):
            continue  # seeded in the code with a value of its own: the randomness rules judge that
        options = sorted(o for o in interface.options if o.startswith("--") and o != "--help")
        described = "Hydra configs" if interface.hydra else \
            f"{len(options)} command-line option{'s' * (len(options) != 1)}"
        yield Hit(entry.rel, entry.line, f"{entry.rel} trains and is configured by {described}, but none sets the "
                                         f"seed")


def _configs_have_seed(project) -> bool:
    return project.shared("configs-have-seed", lambda: _any_config_has_seed(project))


def _any_config_has_seed(project) -> bool:
    def has_seed(data) -> bool:
        if isinstance(data, dict):
            return any("seed" in str(k).lower() or has_seed(v) for k, v in data.items())
        return isinstance(data, list) and any(has_seed(v) for v in data)
    return any(has_seed(f.facts.data) for f in project.files.values() if f.kind == "config") or any(
        "seed" in a.target.lower() for f in project.python_files if _in_configs(f.rel)
        for a in f.facts.python.assigns)


def _in_configs(rel: str) -> bool:
    """A config module, or a Python file in a config folder (ml_collections' `configs/cifar10.py`)."""
    return bool(_CONFIG_MODULE.search(rel)) or any(
        part in ("config", "configs", "conf") for part in rel.split("/")[:-1])
