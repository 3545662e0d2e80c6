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


def publishes_package(project) -> bool:
    """Whether the repository publishes a package: a [project] table with a build backend, or a root setup.py that
    declares what installing it requires. Its examples are then tutorials of its API."""
    setup = project.files.get("setup.py")
    return project.dependencies.publishes_package or bool(
        setup and isinstance(setup.facts.data, dict) and setup.facts.data.get("install_requires"))


# Releases to test a specifier against: one per minor line that matters to version-dependent rules, and later.
_TORCH_RELEASES = ("1.9.0", "1.10.2", "1.13.1", "2.0.1", "2.4.1", "2.8.0", "2.10.0", "2.13.0")


def torch_specifiers(spec: str):
    """A torch requirement's version specifier as a SpecifierSet (conda's `pytorch=1.8` and a local `+cu118` read
    as pip would), or None when it does not parse."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    spec = spec.strip()
    if spec[:1] == "=" and spec[1:2] not in ("=", ""):
        spec = "=" + spec
    try:
        return SpecifierSet(spec.split("+")[0] if spec.startswith("==") else spec)
    except InvalidSpecifier:
        return None


def torch_only_before(project, version: str) -> Optional[str]:
    """The declaration (`torch==1.8.1 (requirements.txt:3)`) when the repository's torch pin allows no release
    from `version` on, else None: an open or modern pin installs a current torch."""
    from packaging.version import Version

    requirement = project.requirement("torch", "pytorch")
    specifiers = torch_specifiers(requirement.specifier) if requirement and requirement.specifier else None
    if specifiers is None:
        return None
    later = [r for r in _TORCH_RELEASES if Version(r) >= Version(version)]
    if any(specifiers.contains(r, prereleases=True) for r in later):
        return None
    return f"torch {requirement.specifier} ({requirement.rel}:{requirement.line})"
