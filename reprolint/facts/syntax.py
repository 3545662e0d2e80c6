"""What Python syntax means to the collector: literal values, dotted names, the guards it recognises, and the
node types it visits."""
from __future__ import annotations

import ast
import builtins
import re
from typing import Any, Optional

from reprolint.facts.types import Ref


# libcst's native parser overflows the C stack (a segfault, not an exception) on nesting CPython's own parser still
# accepts: a sum of 50,000 terms in one expression. Real code nests a few dozen levels; files deeper than this are
# not handed to libcst.
LIBCST_DEPTH_LIMIT = 1000


def safe_for_libcst(text: str) -> bool:
    """Whether libcst can parse the text without crashing the process: CPython parses it, no node nests deeper
    than LIBCST_DEPTH_LIMIT (measured without recursion)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > LIBCST_DEPTH_LIMIT:
            return False
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return True


def is_main_guard(node: ast.If) -> bool:
    test = node.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return (any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


def is_version_check(test: ast.expr) -> bool:
    """A test on the interpreter (`sys.version_info`, `sys.platform`): its imports exist on some Pythons only."""
    return any(isinstance(n, ast.Attribute) and n.attr in ("version_info", "platform") and
               isinstance(n.value, ast.Name) and n.value.id == "sys" for n in ast.walk(test))


_AVAILABILITY = re.compile(r"^(find_spec|find_loader|is_\w+_available|is_available_\w+)$")


def is_availability_check(test: ast.expr) -> bool:
    """A test whether a package is installed (`importlib.util.find_spec("wandb")`, `is_wandb_available()`, the
    transformers and accelerate convention): the imports under it are optional."""
    return any(isinstance(n, ast.Call) and _AVAILABILITY.match(
        n.func.id if isinstance(n.func, ast.Name) else n.func.attr if isinstance(n.func, ast.Attribute) else "")
        for n in ast.walk(test))


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


_MAX_LITERAL_ITEMS = 256
# Calls that only convert a value: `int(time.time())` is still a value that comes from the clock.
_CONVERSIONS = {"int", "float", "str", "abs", "hash", "round"}


def literal(node: ast.AST) -> Any:
    """The value of a literal expression, or a Ref (its root name unresolved) for anything else."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)) and isinstance(
            node.operand, ast.Constant) and isinstance(node.operand.value, (int, float, complex)):
        return -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) <= _MAX_LITERAL_ITEMS:
        items = [literal(e) for e in node.elts]
        if not any(isinstance(i, Ref) for i in items):
            return tuple(items) if isinstance(node, ast.Tuple) else items
    elif isinstance(node, ast.Dict) and len(node.keys) <= _MAX_LITERAL_ITEMS and None not in node.keys:
        keys = [literal(k) for k in node.keys]
        values = [literal(v) for v in node.values]
        if not any(isinstance(i, Ref) or isinstance(i, (list, dict)) for i in keys) and not any(
                isinstance(v, Ref) for v in values):
            return dict(zip(keys, values))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CONVERSIONS \
            and len(node.args) == 1:
        inner = literal(node.args[0])
        if isinstance(inner, Ref) and inner.kind != "expr":
            return inner
    if isinstance(node, ast.BinOp):  # `time.time() * 1000 % 2**32`: what the value derives from
        for side in (node.left, node.right):
            inner = literal(side)
            if isinstance(inner, Ref) and inner.kind != "expr":
                return inner
    name = dotted(node)
    if name is not None:
        kind = "name" if isinstance(node, ast.Name) else "call" if isinstance(node, ast.Call) else "attr"
        return Ref(kind, name[:-2] if kind == "call" else name)
    return Ref("expr", type(node).__name__)


def dotted(node: ast.AST) -> Optional[str]:
    """`a.b.c` for an attribute chain; a call in the chain keeps its `()`; an unknown base becomes `?`."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        inner = dotted(node.func)
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
    # training and fitting, and restoring trained weights
    "fit", "train", "compile", "fit_generator", "step", "backward", "partial_fit", "optimize", "load_state_dict",
    "load_weights", "restore", "load_from_checkpoint",
    # operations PyTorch documents as nondeterministic on CUDA
    "index_add_", "index_add", "scatter_add_", "scatter_add", "scatter_reduce", "scatter_reduce_", "index_put_",
    "put_", "bincount", "histc", "index_copy", "index_copy_", "kthvalue", "median", "cumsum", "embedding_bag",
})
NOISE_BUILTINS = frozenset(dir(builtins)) - {"range", "open", "eval", "exec", "__import__", "hash", "input",
                                               "compile", "iter", "next", "dict"}
NO_KWARGS: dict = {}
# Values that can be literals, or a name worth resolving: for the rest (`x = self.conv(x)`) literal is skipped.
MAYBE_LITERAL = {ast.Constant, ast.UnaryOp, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Name, ast.Attribute,
                  ast.Call, ast.BinOp}  # shared by every call without keywords: never mutated, pickled once
NODE_KINDS = {
    ast.Call: "call", ast.Assign: "assign", ast.AnnAssign: "assign", ast.AugAssign: "assign",
    ast.FunctionDef: "def", ast.AsyncFunctionDef: "def", ast.ClassDef: "class", ast.If: "if", ast.Try: "try",
    ast.Import: "import", ast.ImportFrom: "from", ast.For: "for", ast.AsyncFor: "for",
}
if hasattr(ast, "TryStar"):  # Python 3.11
    NODE_KINDS[ast.TryStar] = "try"
CHILD_FIELDS: dict = {}
# Fields that never hold a node that can contain a call: contexts, operators, names and other strings.
LEAF_FIELDS = {"ctx", "op", "ops", "type_comment", "kind", "conversion", "id", "attr", "arg", "name", "asname",
                "module", "level", "names", "rest", "kwd_attrs", "tag"}


def child_fields(cls: type) -> tuple:
    """The fields of a node class that can hold nodes we visit; computed once per class (a hot path)."""
    fields = CHILD_FIELDS.get(cls)
    if fields is None:
        is_node = issubclass(cls, ast.AST) and cls is not ast.Constant
        fields = CHILD_FIELDS[cls] = tuple(f for f in cls._fields if f not in LEAF_FIELDS) if is_node else ()
    return fields
