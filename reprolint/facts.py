"""Per-file facts: a pure function of one file's bytes, plain data that is cached by content hash.

Python is read with the standard library's `ast` (an order of magnitude faster than libcst for read-only analysis,
see DESIGN.md); names are resolved through the file's import aliases, so `import torch as th; th.manual_seed(0)`
records a call to `torch.manual_seed` and `from torch.backends import cudnn; cudnn.benchmark = True` an assignment to
`torch.backends.cudnn.benchmark`.
"""
from __future__ import annotations

import ast
import builtins
import json
import re
import sys
from sys import intern
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

from reprolint.discover import CONFIG, DOC, MANIFEST, NOTEBOOK, README, SCRIPT
from reprolint.knowledge.distributions import normalise

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAIN = "<main>"  # the scope of the body of `if __name__ == "__main__":`
STRUCTURED_DATA_LIMIT = 1024 * 1024  # bigger JSON/YAML files are data sets, not configs
# Lock files, by name, and the format each is written in.
LOCK_FILES = {"uv.lock": "toml", "poetry.lock": "toml", "pdm.lock": "toml", "pipfile.lock": "json",
              "conda-lock.yml": "yml", "conda-lock.yaml": "yml"}


class Ref(NamedTuple):
    """An argument or value that is not a literal: a name, an attribute, a call, or another expression."""

    kind: str  # "name" | "attr" | "call" | "expr"
    text: str  # qualified name for name/attr/call, the node type for expr


class Import(NamedTuple):
    module: str  # absolute dotted module, or with leading dots for a relative import
    name: Optional[str]  # the imported member for `from module import name`
    alias: str  # the name bound in this file
    line: int
    guarded: bool  # inside a `try:` body or under a `sys.version_info` test: needed on some installs only
    type_only: bool = False  # under `if TYPE_CHECKING:`: never executed


class Call(NamedTuple):
    name: str  # qualified when its root is an imported name; `?` stands for a base that is not a name
    line: int
    col: int
    scope: str  # "" module level, MAIN, or the qualified name of the enclosing function
    args: tuple  # literal values, or Ref for what is not literal
    kwargs: dict  # keyword -> literal or Ref; `**x` appears under "**"


class Assign(NamedTuple):
    target: str  # qualified: a name, `a.b.c`, or `os.environ[KEY]`
    value: Any  # literal or Ref
    line: int
    col: int
    scope: str


def member_of(module: str, name: str) -> str:
    """The dotted name of a module's member: `pkg.mod` + `f` is `pkg.mod.f`; `..` + `f` is `..f`."""
    return (module if module.endswith(".") else module + ".") + name


class ParseError(NamedTuple):
    line: int
    col: int
    message: str


class Loop(NamedTuple):
    """`for epoch in range(200):` with literal bounds: a loop whose length may be a hyperparameter."""

    target: str
    bound: Any  # the range's stop: an int literal, or a Ref
    line: int
    col: int
    scope: str


@dataclass
class PyFacts:
    imports: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    assigns: list = field(default_factory=list)
    functions: dict = field(default_factory=dict)  # qualified name -> (line, parameter names)
    main_guard: Optional[int] = None
    loops: list = field(default_factory=list)  # Loop, for `for x in range(...)` statements


@dataclass
class FileFacts:
    errors: list = field(default_factory=list)  # ParseError; several for a notebook with several broken cells
    suppressions: dict = field(default_factory=dict)  # line -> codes suppressed there ("ALL" for every code)
    file_ignores: tuple = ()
    python: Optional[PyFacts] = None
    data: Any = None  # parsed TOML / YAML / JSON for manifests and configs
    cells: Optional[list] = None  # notebooks: combined source line - 1 -> (cell number, line in cell)
    text: Optional[str] = None  # READMEs and manifests keep their text for the rules that read it


def extract(rel: str, kind: str, content: bytes) -> FileFacts:
    """Everything the rules need from one file, computed from its bytes alone."""
    facts = FileFacts()
    suffix = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
    if kind == NOTEBOOK:
        _extract_notebook(content, facts)
        return facts
    name = rel.rsplit("/", 1)[-1].lower()
    if suffix == "py":
        text = _python_facts(content, facts)
        if name == "setup.py" and text is not None:
            from reprolint.setup_py import read_setup_py  # libcst: imported only where a setup.py is read

            facts.data = read_setup_py(text)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            facts.errors.append(ParseError(1, 1, f"not valid UTF-8 ({exc.reason} at byte {exc.start})"))
            return facts
        if name in LOCK_FILES:
            facts.data = _locked_versions(name, _structured(LOCK_FILES[name], text, facts))
            return facts  # lock files are big and machine-written: their versions are all a rule needs
        if kind in (MANIFEST, CONFIG) and len(content) <= STRUCTURED_DATA_LIMIT:
            facts.data = _structured("toml" if name == "pipfile" else suffix, text, facts)
    if kind in (README, DOC, MANIFEST, SCRIPT):
        facts.text = text
    if kind in (README, DOC) and text is not None:
        from reprolint.readme import parse_readme  # markdown-it-py: imported only where a README is read

        facts.data = parse_readme(name, text)
    if text is not None:
        _suppressions(text, kind, facts)
    return facts


# ---------------------------------------------------------------- Python

def _python_facts(content: bytes, facts: FileFacts) -> Optional[str]:
    try:
        tree = ast.parse(content)
    except SyntaxError as exc:
        facts.errors.append(ParseError(exc.lineno or 1, exc.offset or 1, f"syntax error: {exc.msg}"))
        tree = None
    except (ValueError, RecursionError, MemoryError) as exc:
        facts.errors.append(ParseError(1, 1, f"cannot be parsed: {type(exc).__name__}: {exc}"))
        tree = None
    if tree is not None:
        facts.python = _Collector().run(tree.body)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("latin-1")  # a coding cookie: good enough to find suppression comments


def _is_main_guard(node: ast.If) -> bool:
    test = node.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return (any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


def _is_version_check(test: ast.expr) -> bool:
    """A test on the interpreter (`sys.version_info`, `sys.platform`): its imports exist on some Pythons only."""
    return any(isinstance(n, ast.Attribute) and n.attr in ("version_info", "platform") and
               isinstance(n.value, ast.Name) and n.value.id == "sys" for n in ast.walk(test))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


_MAX_LITERAL_ITEMS = 256
# Calls that only convert a value: `int(time.time())` is still a value that comes from the clock.
_CONVERSIONS = {"int", "float", "str", "abs", "hash", "round"}


def _literal(node: ast.AST) -> Any:
    """The value of a literal expression, or a Ref (its root name unresolved) for anything else."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)) and isinstance(
            node.operand, ast.Constant) and isinstance(node.operand.value, (int, float, complex)):
        return -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) <= _MAX_LITERAL_ITEMS:
        items = [_literal(e) for e in node.elts]
        if not any(isinstance(i, Ref) for i in items):
            return tuple(items) if isinstance(node, ast.Tuple) else items
    elif isinstance(node, ast.Dict) and len(node.keys) <= _MAX_LITERAL_ITEMS and None not in node.keys:
        keys = [_literal(k) for k in node.keys]
        values = [_literal(v) for v in node.values]
        if not any(isinstance(i, Ref) or isinstance(i, (list, dict)) for i in keys) and not any(
                isinstance(v, Ref) for v in values):
            return dict(zip(keys, values))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CONVERSIONS \
            and len(node.args) == 1:
        inner = _literal(node.args[0])
        if isinstance(inner, Ref) and inner.kind != "expr":
            return inner
    if isinstance(node, ast.BinOp):  # `time.time() * 1000 % 2**32`: what the value derives from
        for side in (node.left, node.right):
            inner = _literal(side)
            if isinstance(inner, Ref) and inner.kind != "expr":
                return inner
    name = _dotted(node)
    if name is not None:
        kind = "name" if isinstance(node, ast.Name) else "call" if isinstance(node, ast.Call) else "attr"
        return Ref(kind, name[:-2] if kind == "call" else name)
    return Ref("expr", type(node).__name__)


def _dotted(node: ast.AST) -> Optional[str]:
    """`a.b.c` for an attribute chain; a call in the chain keeps its `()`; an unknown base becomes `?`."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        inner = _dotted(node.func)
        parts.append((inner or "?") + "()")
    elif parts:
        parts.append("?")
    else:
        return None
    return ".".join(reversed(parts))


# Which calls are worth keeping. Every call is a candidate, but a big repository has hundreds of thousands, and
# their number is what a warm run pays to load: keep those a rule can use. A call whose root is an import
# (`torch.manual_seed`, `np.random.rand`), a plain function call (a local helper, or a builtin of interest), a
# method the same file defines (`self.train_epoch()`), or a method named here on any object (`model.cuda()`).
METHODS_OF_INTEREST = frozenset({
    # device placement and seeding on objects
    "cuda", "to", "manual_seed", "manual_seed_all", "seed", "set_seed", "seed_everything", "initial_seed",
    # draws from generator objects (numpy Generator / RandomState, random.Random, torch.Generator, jax keys)
    "random", "rand", "randn", "randint", "random_sample", "normal", "uniform", "choice", "choices", "shuffle",
    "permutation", "integers", "standard_normal", "sample", "binomial", "poisson", "beta", "gamma", "split",
    "fold_in", "bernoulli", "multinomial", "exponential_", "normal_", "uniform_", "random_", "bernoulli_",
    # command-line and config declarations
    "add_argument", "add_argument_group", "add_mutually_exclusive_group", "parse_args", "parse_known_args",
    "set_defaults", "load", "safe_load", "from_pretrained",
    # training
    "fit", "train", "compile", "fit_generator", "step", "backward",
    # operations PyTorch documents as nondeterministic on CUDA
    "index_add_", "index_add", "scatter_add_", "scatter_add", "scatter_reduce", "scatter_reduce_", "index_put_",
    "put_", "bincount", "histc", "index_copy", "index_copy_", "kthvalue", "median", "cumsum", "embedding_bag",
})
_NOISE_BUILTINS = frozenset(dir(builtins)) - {"range", "open", "eval", "exec", "__import__", "hash", "input",
                                               "compile", "iter", "next", "dict"}
_NO_KWARGS: dict = {}
# Values that can be literals, or a name worth resolving: for the rest (`x = self.conv(x)`) _literal is skipped.
_MAYBE_LITERAL = {ast.Constant, ast.UnaryOp, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Name, ast.Attribute,
                  ast.Call, ast.BinOp}  # shared by every call without keywords: never mutated, pickled once
_NODE_KINDS = {
    ast.Call: "call", ast.Assign: "assign", ast.AnnAssign: "assign", ast.AugAssign: "assign",
    ast.FunctionDef: "def", ast.AsyncFunctionDef: "def", ast.ClassDef: "class", ast.If: "if", ast.Try: "try",
    ast.Import: "import", ast.ImportFrom: "from", ast.For: "for", ast.AsyncFor: "for",
}
if hasattr(ast, "TryStar"):  # Python 3.11
    _NODE_KINDS[ast.TryStar] = "try"
_CHILD_FIELDS: dict = {}
# Fields that never hold a node that can contain a call: contexts, operators, names and other strings.
_LEAF_FIELDS = {"ctx", "op", "ops", "type_comment", "kind", "conversion", "id", "attr", "arg", "name", "asname",
                "module", "level", "names", "rest", "kwd_attrs", "tag"}


def _child_fields(cls: type) -> tuple:
    """The fields of a node class that can hold nodes we visit; computed once per class (a hot path)."""
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        is_node = issubclass(cls, ast.AST) and cls is not ast.Constant
        fields = _CHILD_FIELDS[cls] = tuple(f for f in cls._fields if f not in _LEAF_FIELDS) if is_node else ()
    return fields


class _Collector:
    """One pass over the tree, keeping the enclosing scope; names are resolved at the end, once aliases are known."""

    def __init__(self) -> None:
        self.facts = PyFacts()
        self.aliases: dict[str, str] = {}
        self._raw_calls: list = []  # (dotted name, node, scope)
        self._type_only = 0  # depth of `if TYPE_CHECKING:` blocks

    def run(self, body: list) -> PyFacts:
        """The facts of a module's (or a notebook's joined cells') statements."""
        self._visit_body(body, scope="", prefix="", guarded=False)
        self._resolve()
        return self.facts

    def _visit_body(self, body: list, scope: str, prefix: str, guarded: bool) -> None:
        for node in body:
            self._visit(node, scope, prefix, guarded)

    def _visit(self, node: ast.AST, scope: str, prefix: str, guarded: bool) -> None:
        # The hot loop of a cold run: an explicit stack, and one dict look-up per node to find what it needs.
        stack = [node]
        while stack:
            node = stack.pop()
            cls = type(node)
            kind = _NODE_KINDS.get(cls)
            if kind is not None:
                if kind == "call":
                    self._call(node, scope)
                elif kind == "assign":
                    self._assign(node, scope)
                elif self._statement(kind, node, scope, prefix, guarded, stack):
                    continue
            fields = _CHILD_FIELDS.get(cls)
            for name in fields if fields is not None else _child_fields(cls):
                child = getattr(node, name, None)
                if type(child) is list:
                    stack.extend(child)
                elif child is not None:
                    stack.append(child)

    def _statement(self, kind: str, node: ast.AST, scope: str, prefix: str, guarded: bool, stack: list) -> bool:
        """Statements that open a scope or bind imports; True when their children need no generic visit."""
        if kind == "def":
            qualname = prefix + node.name
            params = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
            self.facts.functions[qualname] = (node.lineno, params)
            stack.extend(node.decorator_list)
            stack.extend(d for d in node.args.defaults + node.args.kw_defaults if d is not None)
            self._visit_body(node.body, qualname, qualname + ".", guarded)
        elif kind == "class":
            stack.extend(node.decorator_list)
            stack.extend(node.bases)
            self._visit_body(node.body, scope, prefix + node.name + ".", guarded)
        elif kind == "if":
            if _is_type_checking(node):
                self._type_only += 1
                self._visit_body(node.body, scope, prefix, guarded)
                self._type_only -= 1
                self._visit_body(node.orelse, scope, prefix, guarded)
                return True
            if _is_version_check(node.test):  # `if sys.version_info >= (3, 11): import tomllib`: conditional
                stack.append(node.test)
                self._visit_body(node.body, scope, prefix, True)
                self._visit_body(node.orelse, scope, prefix, True)
                return True
            if scope != "" or not _is_main_guard(node):
                return False
            self.facts.main_guard = node.lineno
            self._visit_body(node.body, MAIN, prefix, guarded)
            self._visit_body(node.orelse, scope, prefix, guarded)
        elif kind == "for":
            iterator = node.iter
            if isinstance(node.target, ast.Name) and isinstance(iterator, ast.Call) and \
                    isinstance(iterator.func, ast.Name) and iterator.func.id == "range" and iterator.args:
                bound = _literal(iterator.args[1] if len(iterator.args) > 1 else iterator.args[0])
                self.facts.loops.append(Loop(node.target.id, bound, node.lineno, node.col_offset + 1, scope))
            return False
        elif kind == "try":
            self._visit_body(node.body, scope, prefix, True)
            for part in (node.handlers, node.orelse, node.finalbody):
                self._visit_body(part, scope, prefix, guarded)
        elif kind == "import":
            for a in node.names:
                alias = a.asname or a.name.split(".")[0]
                self._bind(alias, a.name if a.asname else alias, node, None, a.name, scope, guarded)
        elif kind == "from":
            module = "." * node.level + (node.module or "")
            for a in node.names:
                self._bind(a.asname or a.name, member_of(module, a.name), node, a.name, module, scope, guarded)
        return True

    def _bind(self, alias: str, target: str, node: ast.AST, name: Optional[str], module: str, scope: str,
              guarded: bool) -> None:
        if name != "*":
            self.aliases.setdefault(alias, target)
        self.facts.imports.append(Import(module, name, alias, node.lineno, guarded, self._type_only > 0))

    def _call(self, node: ast.Call, scope: str) -> None:
        # The arguments are read in _resolve, once it is known whether the call is worth keeping.
        name = _dotted(node.func)
        if name is not None:
            self._raw_calls.append((name, node, scope))

    def _assign(self, node: ast.AST, scope: str) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if node.value is None:
            return
        value = _literal(node.value) if type(node.value) in _MAYBE_LITERAL else Ref("expr", "")
        for target in targets:
            if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
                base = _dotted(target.value)
                text = f"{base}[{target.slice.value}]" if base else None
            else:
                text = _dotted(target)
            if text is not None:
                self.facts.assigns.append(Assign(text, value, target.lineno, target.col_offset + 1, scope))

    def _resolve(self) -> None:
        resolve = self.resolve
        f = self.facts
        methods = {q.rsplit(".", 1)[-1] for q in f.functions if "." in q}
        value = self._resolve_value
        f.calls = [Call(intern(resolve(name)), node.lineno, node.col_offset + 1, scope,
                        tuple(value(_literal(a)) for a in node.args),
                        {(k.arg if k.arg is not None else "**"): value(_literal(k.value)) for k in node.keywords}
                        if node.keywords else _NO_KWARGS)
                   for name, node, scope in self._raw_calls if self._worth_keeping(name, methods)]
        f.assigns = [r for a in f.assigns if (r := self._resolved_assign(a))]
        f.calls.sort(key=lambda c: (c.line, c.col))  # the traversal stack pops in reverse
        f.assigns.sort(key=lambda a: (a.line, a.col))

    def _worth_keeping(self, name: str, methods: set) -> bool:
        head, dot, rest = name.partition(".")
        if not dot:
            return head not in _NOISE_BUILTINS or head in self.aliases
        if self._is_imported(head):
            return True
        if head == "self" and rest in methods:
            return True
        return name.rsplit(".", 1)[-1] in METHODS_OF_INTEREST

    def _resolved_assign(self, assign: Assign) -> Optional[Assign]:
        """Keep what rules can use: literal values, and assignments to or from imported names (flags, seeds)."""
        imported = self._is_imported
        if isinstance(assign.value, Ref) and not imported(assign.target) and not (
                assign.value.kind != "expr" and imported(assign.value.text)):
            return None
        return assign._replace(target=self.resolve(assign.target), value=self._resolve_value(assign.value))

    def _is_imported(self, name: str) -> bool:
        head = name.split(".", 1)[0].split("[", 1)[0]
        return (head[:-2] if head.endswith("()") else head) in self.aliases

    def resolve(self, name: str) -> str:
        head, dot, rest = name.partition(".")
        paren = head.endswith("()")
        base = self.aliases.get(head[:-2] if paren else head)
        if base is None:
            return name
        return base + ("()" if paren else "") + dot + rest

    def _resolve_value(self, value: Any) -> Any:
        if isinstance(value, Ref) and value.kind != "expr":
            return Ref(value.kind, intern(self.resolve(value.text)))
        return value


# ---------------------------------------------------------------- lock files

def _locked_versions(name: str, data: Any) -> Optional[dict]:
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


# ---------------------------------------------------------------- notebooks

_MAGIC = re.compile(r"^(\s*)([%!]|\?|\w[\w.]*\?+\s*$)")
_SHELL_ASSIGN = re.compile(r"^(\s*[\w.,\s]+=\s*)[!%]")
_SHELL_LINE = re.compile(r"^\s*(!|%(pip|conda)\b)")


def _cell_source(cell: dict) -> str:
    """A code cell's text: nbformat 4 `source`, nbformat 3 `input`, each a string or a list of lines."""
    source = cell.get("source", cell.get("input", ""))
    return "".join(source) if isinstance(source, list) else str(source or "")


def _code_lines(text: str) -> list[str]:
    """A cell's lines, with IPython magics and shell lines made into Python that parses (same line count)."""
    lines = text.split("\n")
    if lines and lines[0].startswith("%%"):  # a cell magic: the whole cell is another language
        return ["" for _ in lines]
    out = []
    for line in lines:
        assign = _SHELL_ASSIGN.match(line)
        if assign:
            out.append(assign.group(1) + "None")
            continue
        magic = _MAGIC.match(line)
        out.append(magic.group(1) + "pass" if magic else line)
    return out


def _extract_notebook(content: bytes, facts: FileFacts) -> None:
    try:
        notebook = json.loads(content)
    except ValueError as exc:  # JSONDecodeError, or bytes that are not text
        where = (getattr(exc, "lineno", 1), getattr(exc, "colno", 1))
        facts.errors.append(ParseError(*where, f"not a notebook: invalid JSON ({getattr(exc, 'msg', exc)})"))
        return
    try:
        cells = notebook["cells"] if "cells" in notebook else notebook["worksheets"][0]["cells"]
        language = (notebook.get("metadata", {}).get("kernelspec", {}) or {}).get("language", "python")
    except (KeyError, IndexError, TypeError, AttributeError):
        facts.errors.append(ParseError(1, 1, "not a notebook: the JSON has no list of cells"))
        return
    if str(language).lower() != "python":
        return
    body: list = []
    cell_map: list = []
    sources: list = []
    shell: list = []  # [line, command] of `!pip install ...` and `%pip ...` lines: what the notebook installs and runs
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        sources.append(_cell_source(cell))
        lines = _code_lines(sources[-1])
        offset = len(cell_map)
        shell += [[offset + i, line.strip()[1:]] for i, line in enumerate(sources[-1].split("\n"), 1)
                  if _SHELL_LINE.match(line)]
        cell_map.extend((number, i) for i in range(1, len(lines) + 1))
        try:
            tree = ast.parse("\n".join(lines))
        except (SyntaxError, ValueError, RecursionError) as exc:
            line = getattr(exc, "lineno", None) or 1
            msg = getattr(exc, "msg", None) or str(exc)
            facts.errors.append(ParseError(offset + line, getattr(exc, "offset", None) or 1, f"syntax error: {msg}"))
            continue
        ast.increment_lineno(tree, offset)
        body.extend(tree.body)
    facts.python = _Collector().run(body)
    facts.cells = cell_map
    facts.data = {"shell": shell} if shell else None
    _suppressions("\n".join(sources), NOTEBOOK, facts)  # the cells as written: a comment may follow a magic


# ---------------------------------------------------------------- manifests, configs, comments

def _structured(suffix: str, text: str, facts: FileFacts) -> Any:
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


_SUPPRESSION = {
    "hash": re.compile(r"#\s*reprolint:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?"),
    "markup": re.compile(r"(?:<!--|\.\.)\s*reprolint:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?"),
}


def _suppressions(text: str, kind: str, facts: FileFacts) -> None:
    """`# reprolint: ignore[CODE,...]` on a line, `# reprolint: ignore-file[...]` anywhere (HTML or rST comments
    in a README); with no codes, every code."""
    if "reprolint:" not in text:
        return
    pattern = _SUPPRESSION["markup" if kind in (README, DOC) else "hash"]
    file_codes: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        if "reprolint:" not in line:
            continue
        for form, codes in pattern.findall(line):
            parsed = tuple(c.strip().upper() for c in codes.split(",") if c.strip()) or ("ALL",)
            if form == "ignore-file":
                file_codes.extend(parsed)
            else:
                facts.suppressions[number] = facts.suppressions.get(number, ()) + parsed
    facts.file_ignores = tuple(file_codes)
