"""Per-file facts: a pure function of one file's bytes, plain data that is cached by content hash.

Python is read with the standard library's `ast` (an order of magnitude faster than libcst for read-only analysis,
see DESIGN.md); names are resolved through the file's import aliases, so `import torch as th; th.manual_seed(0)`
records a call to `torch.manual_seed` and `from torch.backends import cudnn; cudnn.benchmark = True` an assignment to
`torch.backends.cudnn.benchmark`.
"""
from __future__ import annotations

from reprolint.discover import CONFIG, DOC, MANIFEST, NOTEBOOK, README, SCRIPT
from reprolint.facts.literals import machine_paths_in_text
from reprolint.facts.notebooks import extract_notebook
from reprolint.facts.python import python_facts
from reprolint.facts.structured import locked_versions, structured
from reprolint.facts.text import suppressions
from reprolint.facts.types import (
    LOCK_FILES, MAIN, STRUCTURED_DATA_LIMIT, Assign, Call, FileFacts, Import, Loop, ParseError, PyFacts, Ref, member_of,
)

__all__ = ["LOCK_FILES", "MAIN", "STRUCTURED_DATA_LIMIT", "Assign", "Call", "FileFacts", "Import", "Loop",
           "ParseError", "PyFacts", "Ref", "extract", "member_of"]


def extract(rel: str, kind: str, content: bytes) -> FileFacts:
    """Everything the rules need from one file, computed from its bytes alone."""
    facts = FileFacts()
    suffix = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
    if kind == NOTEBOOK:
        extract_notebook(content, facts)
        return facts
    name = rel.rsplit("/", 1)[-1].lower()
    if suffix == "py":
        text = python_facts(content, facts)
        if name == "setup.py" and text is not None:
            from reprolint.readers.setup_py import read_setup_py  # libcst: imported only where a setup.py is read

            facts.data = read_setup_py(text)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            facts.errors.append(ParseError(1, 1, f"not valid UTF-8 ({exc.reason} at byte {exc.start})"))
            return facts
        if name in LOCK_FILES:
            facts.data = locked_versions(name, structured(LOCK_FILES[name], text, facts))
            return facts  # lock files are big and machine-written: their versions are all a rule needs
        if kind in (MANIFEST, CONFIG) and len(content) <= STRUCTURED_DATA_LIMIT:
            facts.data = structured("toml" if name == "pipfile" else suffix, text, facts)
    if kind in (README, DOC, MANIFEST, SCRIPT):
        facts.text = text
    if kind in (CONFIG, SCRIPT) and text is not None and len(content) <= STRUCTURED_DATA_LIMIT:
        facts.machine_paths = machine_paths_in_text(text)
    if kind in (README, DOC) and text is not None:
        from reprolint.readers.readme import parse_readme  # markdown-it-py: imported only where a README is read

        facts.data = parse_readme(name, text)
    if text is not None:
        suppressions(text, kind, facts)
    return facts
