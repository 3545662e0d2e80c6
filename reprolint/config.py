"""`[tool.reprolint]` in pyproject.toml, or a reprolint.toml: read, validated, and overridden by the command line."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Optional

from reprolint.knowledge.paths import LARGE_FILE_LIMIT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = ("reprolint.toml", ".reprolint.toml", "pyproject.toml")
SEVERITIES = ("info", "warning", "error", "none")  # "none": no finding fails the run (gate on the score alone)


class ConfigError(Exception):
    """A configuration the user must correct: reported on one line, exit 2."""


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _str_list_dict(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and _str_list(v) for k, v in value.items())


def _valid_patterns(patterns: list) -> bool:
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines(patterns)
        return True
    except Exception:  # pathspec's own errors: a bad character range, an invalid pattern
        return False


def _area_weights(value: Any) -> bool:
    from reprolint.score import SCORED_AREAS

    return isinstance(value, dict) and all(
        k in SCORED_AREAS and isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1e6
        for k, v in value.items())  # inf and nan are not weights: a weighted mean of them has no value


@dataclass
class Config:
    select: list = field(default_factory=lambda: ["ALL"], metadata={"check": _str_list, "type": "a list of rule codes or prefixes"})
    ignore: list = field(default_factory=list, metadata={"check": _str_list, "type": "a list of rule codes or prefixes"})
    per_file_ignores: dict = field(default_factory=dict, metadata={
        "check": _str_list_dict, "type": "a table of glob = [codes]"})
    exclude: list = field(default_factory=list, metadata={"check": lambda v: _str_list(v) and _valid_patterns(v),
                                                          "type": "a list of valid gitignore-style patterns"})
    respect_gitignore: bool = field(default=True, metadata={"check": lambda v: isinstance(v, bool), "type": "true or false"})
    max_file_size_kb: int = field(default=10240, metadata={
        "check": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0, "type": "a positive integer"})
    # Paths and data: data or weight files bigger than this, committed without Git LFS or DVC, are RPL705.
    large_data_kb: int = field(default=LARGE_FILE_LIMIT // 1024, metadata={
        "check": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0, "type": "a positive integer"})
    # Dependencies: how pins are judged, and the escape hatches of the import-to-distribution mapping.
    dependency_policy: str = field(default="auto", metadata={
        "check": lambda v: v in ("auto", "application", "library"), "type": '"auto", "application" or "library"'})
    known_first_party: list = field(default_factory=list, metadata={
        "check": _str_list, "type": "a list of module names"})
    module_names: dict = field(default_factory=dict, metadata={
        "check": _str_list_dict, "type": "a table of distribution = [modules]"})
    used_without_import: list = field(default_factory=list, metadata={
        "check": _str_list, "type": "a list of distribution names"})
    installed_metadata: bool = field(default=False, metadata={
        "check": lambda v: isinstance(v, bool), "type": "true or false"})
    # Scoring: the weight of each area in the overall score (default 1, a quarter for Paths, Hubs and Notebooks;
    # 0 leaves an area out).
    weights: dict = field(default_factory=dict, metadata={"check": _area_weights, "type": (
        "a table of area = weight, the areas being Randomness, Determinism, Dependencies, Environment, "
        "Hyperparameters, Documentation, Paths, Hubs and Notebooks, the weights non-negative numbers")})
    fail_under: Optional[int] = field(default=None, metadata={
        "check": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100,
        "type": "an integer from 0 to 100"})
    severity: Optional[str] = field(default=None, metadata={  # None: "info", or "none" under fail-under
        "check": lambda v: v in SEVERITIES, "type": '"info", "warning", "error" or "none"'})
    source: Optional[str] = field(default=None, metadata={"internal": True})
    pin_from_env: bool = field(default=False, metadata={"internal": True})  # --pin-from-env, for the fixes  # the file it was read from

    @classmethod
    def keys(cls) -> dict[str, Any]:
        return {f.name.replace("_", "-"): f for f in fields(cls) if not f.metadata.get("internal")}

    @classmethod
    def from_table(cls, table: dict, source: str) -> "Config":
        known = cls.keys()
        values = {}
        for key, value in table.items():
            if key not in known:
                raise ConfigError(f"{source}: unknown key '{key}' (known keys: {', '.join(sorted(known))})")
            spec = known[key]
            if not spec.metadata["check"](value):
                raise ConfigError(f"{source}: '{key}' must be {spec.metadata['type']}, not {value!r}")
            values[spec.name] = value
        return cls(**values, source=source)


def load_config(root: Path, explicit: Optional[Path] = None) -> Config:
    """The config that governs root: an explicit file, else the first of CONFIG_FILES in root that has one."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        table = _table(explicit, strict=True)
        return Config.from_table(table or {}, str(explicit))
    for name in CONFIG_FILES:
        path = root / name
        if path.is_file():
            # A broken pyproject.toml is the project's problem (reported as a finding), not a config error.
            table = _table(path, strict=name != "pyproject.toml")
            if table is not None:
                return Config.from_table(table, name)
    return Config()


def _table(path: Path, strict: bool) -> Optional[dict]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        if strict:
            raise ConfigError(f"{path}: cannot read config: {exc}") from None
        return None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: [tool] must be a table")
        table = tool.get("reprolint")
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.reprolint] must be a table")
        return table
    return data
