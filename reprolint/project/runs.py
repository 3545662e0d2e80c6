"""What each entrypoint runs, walked once and shared by the randomness, determinism and hyperparameter rules."""
from __future__ import annotations

import posixpath
import re

from reprolint.facts import Call
from reprolint.knowledge.checklist import SCORING_NAMES
from reprolint.knowledge.determinism import CUBLAS, CUDNN_DETERMINISTIC
from reprolint.project.calls import (
    deterministic_helper, environment_set, hyperparameters, matters, nondeterministic_op, requests_torch_determinism,
    seeded_families, trains_tensorflow, trains_torch, uses_gpu,
)
from reprolint.project.files import is_test_file

# Folders of examples and docs: their scripts train only when a README command runs them.
_SCORING_NAME = re.compile(SCORING_NAMES, re.I)
_OUTSIDE_TRAINING = re.compile(r"(^|/)(examples?|docs?|tutorials?|demos?|benchmarks?|scripts/tools)/")


def entrypoints_to_check(project):
    """Entrypoints whose runs produce results: not tests, and not a library module's self-test."""
    return project.shared("entrypoints-to-check", lambda: [
        e for e in project.entrypoints if not is_test_file(e.rel) and not _self_test(project, e)])


def _self_test(project, entry) -> bool:
    """The `if __name__ == "__main__":` block of a library module (one that other files import, or one inside a
    package) that no README or shell command runs and that trains nothing: a shape check or a demo on random
    tensors (a degradation module showing its effect), not a run whose results anyone reports."""
    if entry.kind != "script" or entry.rel in project.commanded_scripts:
        return False
    in_package = posixpath.join(posixpath.dirname(entry.rel), "__init__.py") in project.files
    if not in_package and entry.rel not in project.imported_files:
        return False
    return not any(trains(project, node.rel, call) for node, call in walked(project, entry) if call is not None)


def production_python(file) -> bool:
    """Python that runs to produce results: parsed, and not a test."""
    return file.facts.python is not None and not is_test_file(file.rel)


def kept(project, rel: str, call) -> bool:
    """The calls these rules read: what matters to randomness and determinism, hyperparameters, optax."""
    return matters(project, rel, call) or call.name.startswith("optax.") or bool(hyperparameters(call))


def walked(project, entry) -> list:
    """The entrypoint's walk (see Project.walk) with the calls these rules read; computed once."""
    return project.shared(("walk", entry), lambda: list(project.walk(entry, kept)))


def entrypoints_reaching(project, node) -> list:
    """The entrypoints (tests aside) whose run enters a node: a file's top level or one of its functions."""
    def compute():
        index: dict = {}
        for entry in entrypoints_to_check(project):
            for reached, call in walked(project, entry):
                if call is None:
                    index.setdefault(reached, []).append(entry)
        return index
    return project.shared("entrypoints-by-node", compute).get(node, [])


def seeded_by(project, entry) -> frozenset:
    """The generator families something on an entrypoint's run seeds."""
    return project.shared(("seeded", entry), lambda: frozenset().union(
        *(seeded_families(call) for _, call in reached_calls(project, entry))))


def reached_calls(project, entry):
    """(node, call) for each call that matters to these rules, in execution order."""
    return ((node, call) for node, call in walked(project, entry) if call is not None)


def shown(name: str) -> str:
    """A call as a reader would write it: `resnet18().cuda` rather than `cifar.model.resnet18().cuda`."""
    head, paren, rest = name.partition("()")
    return head.rsplit(".", 1)[-1] + paren + rest if paren else name


def grouped_by_place(reports):
    """(entrypoint, rel, call, detail) reports, one per entrypoint, grouped by the call they point at: a helper
    that several entrypoints share is reported once, naming them all. Yields (rel, call, detail, entrypoints)."""
    groups: dict = {}
    for entry, rel, call, detail in reports:
        groups.setdefault((rel, call.line, call.col, call.name, detail), (call, []))[1].append(entry)
    for (rel, *_rest, detail), (call, entries) in sorted(groups.items(), key=lambda item: item[0]):
        yield rel, call, detail, entries


def who(entries: list) -> str:
    return entries[0] if len(entries) == 1 else f"{len(entries)} entrypoints ({', '.join(entries)})"


def preferred(current, rel: str, call, entry_rel: str):
    """The first place something happens, unless it happens later in the entrypoint's own file, where a reader
    of the finding looks first."""
    if current is None or (rel == entry_rel and current[0] != entry_rel):
        return rel, call
    return current


class RunProfile:
    """What one entrypoint's run does: where it first uses the GPU and trains, whether it asks for deterministic
    kernels, which environment variables it sets and which nondeterministic ops it calls."""

    def __init__(self, project, entry):
        self.first_gpu = self.first_train = self.first_tf_train = self.deterministic_call = None
        self.deterministic = self.tf_deterministic = False
        helper_sets_cublas = False
        self.ops, self.env_set = [], set()
        self.files = {node.rel for node, call in walked(project, entry) if call is None}
        for node, call in reached_calls(project, entry):
            if uses_gpu(call):
                self.first_gpu = preferred(self.first_gpu, node.rel, call, entry.rel)
            if trains_torch(call):
                self.first_train = preferred(self.first_train, node.rel, call, entry.rel)
            if trains_tensorflow(project, node.rel, call):
                self.first_tf_train = preferred(self.first_tf_train, node.rel, call, entry.rel)
            if requests_torch_determinism(call):
                self.deterministic = True
                self.deterministic_call = self.deterministic_call or (node.rel, call)
            helper_sets_cublas |= deterministic_helper(call)
            self.tf_deterministic |= call.name == "tensorflow.config.experimental.enable_op_determinism"
            self.env_set |= environment_set(call)
            if op := nondeterministic_op(call):
                self.ops.append((node.rel, call, op))
        for rel in self.files:
            for assign in project.files[rel].facts.python.assigns:
                if assign.target == CUDNN_DETERMINISTIC and assign.value is True:
                    self.deterministic = True
                if assign.target.startswith("os.environ["):
                    self.env_set.add(assign.target[len("os.environ["):-1])
        self.trains = bool(self.first_train or self.first_tf_train)
        self.cublas_set = helper_sets_cublas or CUBLAS in self.env_set
        self.tf_deterministic |= "TF_DETERMINISTIC_OPS" in self.env_set


def is_example(rel: str) -> bool:
    """A file of the examples, docs, tutorials or benchmarks folders: it shows how to use the code."""
    return bool(_OUTSIDE_TRAINING.search(rel))


def runs(project):
    """Each entrypoint with what its run does; computed once per project and shared by the rules and the score."""
    return project.shared("determinism-runs",
                          lambda: [(entry, RunProfile(project, entry)) for entry in entrypoints_to_check(project)])


def trains(project, rel: str, call: Call) -> bool:
    return trains_torch(call) or trains_tensorflow(project, rel, call) or call.name.startswith("optax.")


def training_runs(project) -> list:
    """(entrypoint, [(node, call)], nodes) for each entrypoint whose run trains."""
    def compute():
        from reprolint.project.checklist import checklist

        commanded = {r.resolved for r in (checklist(project).runs if checklist(project) else [])}
        runs = []
        for entry in entrypoints_to_check(project):
            if is_example(entry.rel) and entry.rel not in commanded:
                continue
            steps = walked(project, entry)
            calls = [(node, call) for node, call in steps if call is not None]
            if any(trains(project, node.rel, call) for node, call in calls):
                runs.append((entry, calls, [node for node, call in steps if call is None]))
        return runs
    return project.shared("training-runs", compute)


def result_nodes(project) -> frozenset:
    """The nodes (a file's top level or function) that a run producing results enters: a training run, or an
    evaluation script (named for measuring, or put in evaluation mode by an option), or a function named for
    measuring that any run enters (`eval_dataset()` of an infer.py). Demos, plots and inference are left out, and
    so are a library's examples: tutorials of its API, whose numbers nobody reports."""
    def compute():
        from reprolint.project.provided import FLAG, NAMED, evaluation
        from reprolint.project.scopes import publishes_package

        evaluating = {e.path for e in evaluation(project) if e.kind == FLAG or e.kind == NAMED and
                      _SCORING_NAME.search(posixpath.basename(e.path))}
        entries = [entry for entry, *_ in training_runs(project)]
        entries += [e for e in entrypoints_to_check(project) if e.rel in evaluating]
        if publishes_package(project):
            entries = [entry for entry in entries if not is_example(entry.rel)]
        nodes = {node for entry in entries for node, call in walked(project, entry) if call is None}
        nodes |= {node for entry in entrypoints_to_check(project) for node, call in walked(project, entry)
                  if call is None and _SCORING_NAME.search(node.scope.rsplit(".", 1)[-1])}
        return frozenset(nodes)
    return project.shared("result-nodes", compute)
