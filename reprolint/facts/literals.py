"""String literals of a Python module that are paths of the author's machine, with what each one is for."""
from __future__ import annotations

import ast
import re
from typing import Optional

from reprolint.knowledge.paths import (
    IN_TEXT, MOUNT_KEY, MOUNT_OPTION, OUTPUT_KEY, PLACEHOLDER, machine_path, may_hold_machine_paths,
)

# Calls whose argument is a command-line option's default: the path is then what the option holds unless given.
_OPTION_CALLS = ("add_argument", "option", "argument", "Field", "field")
_FLAG_DEFINITIONS = "DEFINE_"  # absl / tf.app.flags: DEFINE_string(name, default, help)
# Calls whose string arguments are read by people, not by the file system.
_MESSAGE_CALLS = {"print", "info", "warning", "warn", "error", "debug", "exception", "critical", "log", "write",
                  "echo", "secho", "format"}


def machine_paths(body: list, text: str) -> list:
    """[line, col, value, option] for each string constant in code that starts with a machine-specific path;
    option is the flag whose default it is (`--data_path`), "" when it is not a default. Docstrings, strings
    that are statements of their own and messages are left out."""
    if not may_hold_machine_paths(text) or not IN_TEXT.search(text):
        return []  # the common case, decided by substring tests
    skipped, options, leading = _context(body)
    found = []
    for node in _constants(body):
        # an f-string's leading part may end where a value starts: f"/checkpoint/{user}/runs"
        value = node.value + "{...}" if id(node) in leading else node.value
        if id(node) in skipped or not machine_path(value):
            continue
        found.append([node.lineno, node.col_offset + 1, value, options.get(id(node), "")])
    return found


def _constants(body: list):
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield node


# A test of where the code runs: `if is_beaker_job():`, `if "SLURM_JOB_ID" in os.environ:`, `if
# os.path.exists("/scratch"):`, `if socket.gethostname() == ...`. A path under it is that site's setting, taken only
# there, not a path every run gets.
_SITE_TEST = re.compile(r"^(is|on|in|running|use)_\w*$|^(environ|getenv|gethostname|node|getuser|system|platform)$")
# File tests: a test of where the code runs only when they ask about a fixed place (`exists("/content/drive")`,
# `Path("/checkpoint").is_dir()`); `exists(cache_file)` is the program's own logic.
_FILE_TESTS = {"exists", "isdir", "isfile", "lexists", "is_dir", "is_file"}


def _context(body: list) -> tuple[set, dict, set]:
    """The ids of constants that are not values the program uses as paths (docstrings, bare strings, messages,
    the inner parts of an f-string, what a test of the machine chooses), and the option each option default
    belongs to, and the leading parts of f-strings."""
    skipped: set = set()
    options: dict = {}
    leading: set = set()
    no_fallback = _ifs_without_fallback(body)
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.If) and id(node) not in no_fallback and _tests_the_site(node.test):
                skipped.update(id(n) for part in [node.test, *node.body, *node.orelse] for n in ast.walk(part))
            elif isinstance(node, ast.ClassDef):
                _field_defaults(node, options)
            elif isinstance(node, ast.Dict):  # {"mountPath": "/weka/x"}: where a job mounts a volume
                skipped.update(id(n) for key, value in zip(node.keys, node.values) if _is_mount(key)
                               for n in ast.walk(value))
            elif isinstance(node, ast.keyword) and node.arg and MOUNT_KEY.match(node.arg):
                skipped.update(id(n) for n in ast.walk(node.value))
            elif isinstance(node, ast.Expr) and isinstance(node.value, (ast.Constant, ast.JoinedStr)):
                skipped.update(id(n) for n in ast.walk(node.value))
            elif isinstance(node, ast.JoinedStr):
                skipped.update(id(v) for v in node.values[1:])  # only a leading part makes the path absolute
                if len(node.values) > 1:
                    leading.add(id(node.values[0]))
            elif isinstance(node, ast.Call):
                name = _called(node)
                if name in _MESSAGE_CALLS:
                    skipped.update(id(n) for arg in node.args for n in ast.walk(arg))
                else:
                    _option_default(node, name, options)
    return skipped, options, leading


def _ifs_without_fallback(body: list) -> set:
    """The ids of `if` statements after which, or in whose `else`, the code raises: `if Path("/checkpoint").is_dir():
    return ...` then `raise RuntimeError`. Their test does not pick a site's setting; it is the only way to run."""
    found = set()
    blocks = [body] + [getattr(n, f) for s in body for n in ast.walk(s) for f in ("body", "orelse", "finalbody")
                       if isinstance(getattr(n, f, None), list)]
    for block in blocks:
        for statement, following in zip(block, block[1:] + [None]):
            if isinstance(statement, ast.If) and (isinstance(following, ast.Raise) or (
                    statement.orelse and isinstance(statement.orelse[-1], ast.Raise))):
                found.add(id(statement))
    return found


def _field_defaults(node: ast.ClassDef, options: dict) -> None:
    """`data_dir: str = "/home/a/data"` in a class body: the default of a field (a dataclass that an argument
    parser or a config system fills)."""
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and statement.value is not None and \
                isinstance(statement.target, ast.Name):
            for part in ast.walk(statement.value):
                options[id(part)] = f"`{statement.target.id}`"


def _is_mount(key) -> bool:
    return isinstance(key, ast.Constant) and isinstance(key.value, str) and bool(MOUNT_KEY.match(key.value))


def _tests_the_site(test: ast.AST) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Call) and _called(node) in _FILE_TESTS:
            if _fixed_place(node):
                return True
            continue
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        if name and name not in _FILE_TESTS and _SITE_TEST.match(name):
            return True
    return False


def _fixed_place(call: ast.Call) -> bool:
    """`os.path.exists("/x")` or `Path("/x").is_dir()`: a file test of a literal path."""
    func = call.func
    receiver = func.value if isinstance(func, ast.Attribute) else None
    candidates = list(call.args[:1]) + ([receiver.args[0]] if isinstance(receiver, ast.Call) and receiver.args else [])
    return any(isinstance(c, ast.Constant) and isinstance(c.value, str) for c in candidates)


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _option_default(node: ast.Call, name: str, options: dict) -> None:
    default: Optional[ast.AST] = None
    if name in _OPTION_CALLS:
        default = next((k.value for k in node.keywords if k.arg == "default"), None)
    elif name.startswith(_FLAG_DEFINITIONS) and len(node.args) > 1:
        default = node.args[1]
    if default is None:
        return
    flag = next((a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)), None)
    label = flag or next((k.value.value for k in node.keywords if k.arg in ("name", "metadata") and
                          isinstance(k.value, ast.Constant)), None) or "its option"
    for part in ast.walk(default):
        options[id(part)] = str(label)


_COMMENT_LINE = re.compile(r"^\s*(#|//|;)")
_TRAILING_COMMENT = re.compile(r"\s#.*$")
_KEY = re.compile(r"""^\s*-?\s*["']?([\w.-]+)["']?\s*[:=]""")
_VALUE_END = re.compile(r"""[\s"',;)\]]""")
# A container command (continued over lines): its paths are mostly inside the container, not on the author's machine.
_CONTAINER_COMMAND = re.compile(r"\b(docker|podman|singularity|apptainer|enroot)\b")
_COMPARISON = re.compile(r"(==|!=|=~)\s*[\"']?$")
_OPTION_BEFORE = re.compile(r"--?([\w-]+)[=\s]+[\"']?$")  # `--output_dir /weka/x`: the option a value is given to


def machine_paths_in_text(text: str) -> list:
    """[line, col, value, key] for each machine-specific path in a config file or a shell script, outside
    comments; key is the config key the line sets ("" when it sets none)."""
    if not may_hold_machine_paths(text) or not IN_TEXT.search(text):
        return []
    found = []
    container = False  # inside a container command, continued over several lines
    for number, line in enumerate(text.split("\n"), 1):
        if _COMMENT_LINE.match(line):
            continue
        code = _TRAILING_COMMENT.sub("", line)
        container = container or bool(_CONTAINER_COMMAND.search(code))
        for match in IN_TEXT.finditer(code):
            before = code[:match.start()]
            key = _KEY.match(code)
            option = _OPTION_BEFORE.search(before)
            if container or _COMPARISON.search(before) or MOUNT_OPTION.search(before) or \
                    key and (MOUNT_KEY.match(key.group(1)) or OUTPUT_KEY.search(key.group(1))) or \
                    option and OUTPUT_KEY.search(option.group(1)):
                continue  # inside a container or job, a test, or where the run writes
            end = _VALUE_END.search(code, match.end())
            value = code[match.start():end.start() if end else len(code)].rstrip("\\")
            if PLACEHOLDER.search(value) or ":/" in value:
                continue  # a template to edit, or a mount's `source:/target`
            found.append([number, match.start() + 1, value, key.group(1) if key else ""])
        container = container and code.rstrip().endswith("\\")
    return found
