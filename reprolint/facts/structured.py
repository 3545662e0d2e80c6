"""Facts of structured data: TOML, YAML and JSON manifests and configs, and the versions lock files pin."""
from __future__ import annotations

import json
import re
import sys
from typing import Any, Optional

from reprolint.facts.types import FileFacts, ParseError
from reprolint.knowledge.distributions import normalise

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def locked_versions(name: str, data: Any) -> Optional[dict]:
    """{normalised distribution: version} from a lock file: `[[package]]` tables (uv, Poetry, PDM), Pipfile.lock's
    `default` and `develop` sections, or conda-lock's `package` list."""
    if not isinstance(data, dict):
        return None
    if name == "pipfile.lock":
        entries = [{"name": n, "version": str(v.get("version", "")).lstrip("=")}
                   for section in ("default", "develop") if isinstance(data.get(section), dict)
                   for n, v in data[section].items() if isinstance(v, dict)]
    else:
        entries = data.get("package", [])
    versions = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            versions[normalise(entry["name"])] = str(entry.get("version") or "")
    return versions


def structured(suffix: str, text: str, facts: FileFacts) -> Any:
    try:
        if suffix == "toml":
            return tomllib.loads(text)
        if suffix == "json":
            return _json_or_jsonc(text)
        if suffix in ("yml", "yaml"):
            import yaml

            return yaml.safe_load(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _position_in_message(str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        facts.errors.append(ParseError(line, col, f"invalid TOML: {message}"))
    except json.JSONDecodeError as exc:
        facts.errors.append(ParseError(exc.lineno, exc.colno, f"invalid JSON: {exc.msg}"))
    except Exception as exc:  # yaml.YAMLError and its subclasses, imported lazily
        mark = getattr(exc, "problem_mark", None)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        facts.errors.append(ParseError(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                                       f"invalid YAML: {getattr(exc, 'problem', None) or first}"))
    return None


_JSONC_NOISE = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/|,(\s*[}\]])', re.S)


def _json_or_jsonc(text: str) -> Any:
    """JSON, or JSON with comments and trailing commas (VS Code's devcontainer.json, tsconfig.json)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        stripped = _JSONC_NOISE.sub(lambda m: m.group(1) or m.group(2) or "", text)
        if stripped == text:
            raise
        try:
            return json.loads(stripped)
        except json.JSONDecodeError:
            pass
        raise  # the error of the text as written, with its real position


def _position_in_message(message: str) -> tuple[int, int]:
    """tomllib gives the position only in its message before Python 3.14: `... (at line 3, column 7)`."""
    found = re.search(r"line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (1, 1)
