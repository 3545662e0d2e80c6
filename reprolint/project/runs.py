"""What each entrypoint runs, walked once and shared by the randomness, determinism and hyperparameter rules."""
from __future__ import annotations

from reprolint.project.files import is_test_file
from reprolint.project.calls import hyperparameters, matters


def entrypoints_to_check(project):
    """Entrypoints whose runs produce results: test files are not among them."""
    return [e for e in project.entrypoints if not is_test_file(e.rel)]


def production_python(file) -> bool:
    """Python that runs to produce results: parsed, and not a test."""
    return file.facts.python is not None and not is_test_file(file.rel)


def kept(project, rel: str, call) -> bool:
    """The calls these rules read: what matters to randomness and determinism, hyperparameters, optax."""
    return matters(project, rel, call) or call.name.startswith("optax.") or bool(hyperparameters(call))


def walked(project, entry) -> list:
    """The entrypoint's walk (see Project.walk) with the calls these rules read; computed once."""
    return project.shared(("walk", entry), lambda: list(project.walk(entry, kept)))


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
