"""Dependency scopes of the project model: what the manifests declare, and for which files."""
from __future__ import annotations

from functools import cached_property
from typing import Optional

from reprolint.readers.manifests import Dependency, Manifests, read_manifests


class Scopes:
    """The declared dependencies: today one scope, the whole repository."""

    @cached_property
    def dependencies(self) -> Manifests:
        """Every manifest read into one model: dependencies with their file and line, indexes, Python versions,
        lock files."""
        return read_manifests(self)

    def requirement(self, *names: str) -> Optional[Dependency]:
        """The first declaration of any of these distributions, preferring one with a version."""
        matching = self.dependencies.declared(*names)
        return next((r for r in matching if r.specifier), matching[0] if matching else None)


def is_library_project(project) -> bool:
    """Whether dependencies are judged as a library's (ranges) or an application's (pins)."""
    policy = project.config.dependency_policy
    if policy != "auto":
        return policy == "library"
    return project.dependencies.publishes_package and not project.dependencies.locks
