"""The project model: per-file facts joined into what cross-file questions need, one module per question.

Rules ask the model (which files are entrypoints, which module an import names, what the repository declares, what
a run executes); they never re-read or re-parse files.
"""
from __future__ import annotations

from reprolint.project.entrypoints import Entrypoint, Entrypoints
from reprolint.project.files import Files, SourceFile, is_test_file
from reprolint.project.modules import Modules
from reprolint.project.scopes import Scopes
from reprolint.project.walk import Node, Walk

__all__ = ["Entrypoint", "Node", "Project", "SourceFile", "is_test_file"]


class Project(Files, Modules, Entrypoints, Scopes, Walk):
    """The whole model of one analyzed repository."""
