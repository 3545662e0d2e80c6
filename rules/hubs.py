"""Models and datasets from hubs (RPL8xx): a name fetched from a hub without the revision it was used at."""
from reprolint.discover import NOTEBOOK, PYTHON
from reprolint.knowledge.hubs import (
    CANONICAL_NAME, DATASET_NAME, HUB_CALLS, HUB_METHODS, HUB_NAME, LOCAL_ROOTS, MOVING_REVISIONS, PACKAGED_BUILDERS,
    PEFT_LOADS, TFDS_PINNED,
)
from reprolint.model import Hit, Severity, rule
from reprolint.project.runs import result_nodes
from reprolint.project.walk import Node
from reprolint.rules import autofixes


def _signature(name: str):
    """Where a hub load takes its name and what pins it, or None for a call that loads nothing from a hub."""
    if name in HUB_CALLS:
        return HUB_CALLS[name]
    if name in PEFT_LOADS:
        return 1, ("model_id",), "revision"
    return HUB_METHODS.get(name.rsplit(".", 1)[-1]) if "." in name else None


def _loaded_name(call, position, keywords):
    value = next((call.kwargs[k] for k in keywords if k in call.kwargs), None)
    if value is None and position is not None and len(call.args) > position:
        value = call.args[position]
    return value if isinstance(value, str) else None


def _remote(project, call, name: str) -> bool:
    """A name that a hub resolves: not a path of the repository or of a run's outputs."""
    if call.name.startswith("tensorflow_datasets."):
        return True  # a dataset's name (`mnist`, `imagenet2012/subset:5.0.0`), never a path
    hub_dataset = call.name == "datasets.load_dataset" and name.lower() not in PACKAGED_BUILDERS and \
        DATASET_NAME.match(name)
    if not (HUB_NAME.match(name) or CANONICAL_NAME.match(name) or hub_dataset):
        return False
    root = name.split("/", 1)[0]
    return root.lower() not in LOCAL_ROOTS and root not in _top_level_names(project)


def _top_level_names(project) -> frozenset:
    """The files and folders at the repository's root: a name that starts with one is a path of the repository."""
    return project.shared("top-level-names", lambda: frozenset(p.split("/", 1)[0] for p in project.all_paths))


def _pinned(call, name: str, revision_keyword) -> bool:
    if call.name == "torch.hub.load":
        ref = name.partition(":")[2]
        return call.kwargs.get("source") == "local" or bool(ref) and ref not in MOVING_REVISIONS
    if call.name.startswith("tensorflow_datasets."):
        return bool(TFDS_PINNED.search(name))
    revision = call.kwargs.get(revision_keyword)
    return revision is not None and revision not in MOVING_REVISIONS  # a variable's value is not guessed


@rule(
    code="RPL801", name="hub-revision-unpinned", area="Hubs", severity=Severity.INFO,
    summary="A model or dataset loaded from a hub by name, without the revision it was used at",
    why="""
        A name on the Hugging Face Hub, torch.hub or TensorFlow Datasets points at whatever its owner last pushed:
        weights are retrained, tokenizers and dataset splits fixed in place, default branches move. A training or
        evaluation run that loads by name alone gets other files next year, and other numbers.
    """,
    fix="Pin the revision the results were produced with: `revision=\"<commit hash>\"` (the Hub page's commit "
        "history, or `huggingface_hub.model_info(name).sha`; `reprolint --fix --pin-from-env` writes the one your "
        "local hub cache holds), `owner/repo:<tag>` for torch.hub, `name:<version>` for TensorFlow Datasets.",
    per_file=True,
    example="""
        import torch
        from transformers import AutoModel

        model = AutoModel.from_pretrained("google-bert/bert-base-uncased")
        optimizer = torch.optim.AdamW(model.parameters())
        model(**batch).loss.backward()
        optimizer.step()
    """,
    use_instead="""
        import torch
        from transformers import AutoModel

        model = AutoModel.from_pretrained("google-bert/bert-base-uncased",
                                          revision="86b5e0934494bd15c9632b12f734a8a67f723594")
        optimizer = torch.optim.AdamW(model.parameters())
        model(**batch).loss.backward()
        optimizer.step()
    """,
)
def hub_revision_unpinned(file, project):
    for call, name, pinned, revision_keyword in hub_loads(project).get(file.rel, ()):
        if not pinned:
            branch = call.kwargs.get(revision_keyword) if revision_keyword else None
            how = f"at the branch `{branch}`, which moves" if branch else "by name alone"
            fix = autofixes.hub_revision(project, file.rel, call, name) if revision_keyword else None
            yield Hit(file.rel, call.line, f"`{name}` is loaded from a hub {how}, in a run that trains or "
                                           f"evaluates: it gets whatever the hub holds under that name on the day "
                                           f"it runs", col=call.col, autofixes=(fix,) if fix else ())


def hub_loads(project) -> dict:
    """{file: [(call, name, pinned, revision keyword)]} for each model or dataset a run that trains or evaluates loads from a hub
    by name; shared by RPL801 and the score."""
    def compute():
        reached = result_nodes(project)
        found: dict = {}
        for file in project.files.values():
            if file.kind not in (PYTHON, NOTEBOOK) or file.facts.python is None:
                continue
            for call in file.facts.python.calls:
                signature = _signature(call.name)
                if signature is None or Node(file.rel, call.scope) not in reached:
                    continue
                position, keywords, revision_keyword = signature
                name = _loaded_name(call, position, keywords)
                if name and _remote(project, call, name):
                    found.setdefault(file.rel, []).append(
                        (call, name, _pinned(call, name, revision_keyword), revision_keyword))
        return found
    return project.shared("hub-loads", compute)
