"""Findings and rules: the vocabulary shared by the engine, the rules and the reporters."""
from __future__ import annotations

import enum
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Optional, Union


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


# Scored areas in report order; "General" holds findings about the analysis itself (unparsable files, suppressions).
AREAS = ("Randomness", "Determinism", "Dependencies", "Environment", "Hyperparameters", "Documentation", "Paths", "Hubs",
         "Notebooks", "General")


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    area: str
    severity: Severity
    path: str  # relative to the analyzed root, with forward slashes
    line: int  # 1-based; 1 for findings about a whole file
    col: int  # 1-based
    message: str
    fix: Optional[str] = None  # how to fix this occurrence; the rule's general advice applies otherwise
    cell: Optional[int] = None  # notebook cell (1-based) when path is a notebook; line is then within the cell
    autofixes: tuple = field(default=(), compare=False, repr=False)  # reprolint.fixes.Autofix, for --fix

    @property
    def fixable(self) -> Optional[str]:
        """"safe" when --fix closes it, "unsafe" when only --unsafe-fixes does, else None."""
        if not self.autofixes:
            return None
        return "safe" if any(a.safe for a in self.autofixes) else "unsafe"

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.line, self.col, self.code)


class Hit(NamedTuple):
    """What a rule reports; the engine adds the rule's metadata to make a Finding."""

    path: str
    line: int
    message: str
    col: int = 1
    fix: Optional[str] = None
    autofixes: tuple = ()  # edits that close the gap (reprolint.fixes.Autofix)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    area: str
    severity: Severity
    summary: str
    why: str
    fix: str
    # A file rule is called once per file (file, project); a project rule once (project).
    check: Callable[..., Iterable[Hit]] = field(repr=False, compare=False)
    per_file: bool = False
    # A tiny repository that fires the rule, and the same repository fixed: {relative path: file text}.
    # tests/test_rule_examples.py runs the engine on both.
    example: dict = field(default_factory=dict, repr=False, compare=False)
    use_instead: dict = field(default_factory=dict, repr=False, compare=False)

    def finding(self, hit: Hit) -> Finding:
        return Finding(
            code=self.code, name=self.name, area=self.area, severity=self.severity, path=hit.path,
            line=max(hit.line, 1), col=max(hit.col, 1), message=hit.message, fix=hit.fix, autofixes=hit.autofixes,
        )


_REGISTRY: dict[str, Rule] = {}


def rule(*, code: str, name: str, area: str, severity: Severity, summary: str, why: str, fix: str,
         per_file: bool = False, example: Union[str, Mapping[str, str], None] = None,
         use_instead: Union[str, Mapping[str, str], None] = None) -> Callable:
    """Register the decorated generator function as a rule, with its documentation beside it.

    `example` is a tiny repository that fires the rule and `use_instead` the same one fixed, each {relative path:
    file text}, or a plain string for {"train.py": text}.
    """
    assert area in AREAS, area

    def register(check: Callable[..., Iterator[Hit]]) -> Callable[..., Iterator[Hit]]:
        if code in _REGISTRY:
            raise RuntimeError(f"rule code {code} registered twice")
        _REGISTRY[code] = Rule(code, name, area, severity, summary.strip(), _dedent(why), _dedent(fix),
                               check, per_file, _files(example), _files(use_instead))
        return check

    return register


def _dedent(text: str) -> str:
    """Rule prose is written indented in the source; keep its paragraphs, drop its line breaks."""
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _files(files: Union[str, Mapping[str, str], None]) -> dict:
    """An example repository as {path: text}: a plain string is train.py; each text, written indented in the
    source, is dedented and loses its leading newline."""
    if files is None:
        return {}
    if isinstance(files, str):
        files = {"train.py": files}
    return {path: _code(text) for path, text in files.items()}


def _code(text: str) -> str:
    text = textwrap.dedent(text)
    return text[1:] if text.startswith("\n") else text


def all_rules() -> dict[str, Rule]:
    import reprolint.rules  # noqa: F401  (registers every rule module)

    return dict(sorted(_REGISTRY.items()))


def matches(code: str, selectors: Iterable[str]) -> bool:
    """True when a code is named by one of the selectors: a full code, a prefix (`RPL1`), or `ALL`."""
    return any(sel == "ALL" or code.startswith(sel) for sel in selectors)
