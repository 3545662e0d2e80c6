"""Paths and data (RPL7xx): paths that exist only on the author's machine, downloads nothing checks, and clones of
a branch that moves."""
import fnmatch
import os
import posixpath
import re
from pathlib import Path

from reprolint.discover import CONFIG, MANIFEST, NOTEBOOK, PYTHON, SCRIPT, is_within
from reprolint.knowledge.downloads import (
    CHECKSUM_CALLS, CLONE_PINNED_ARGS, DATA_URL, DOWNLOAD_CALLS, GIT_CLONE, MEDIA_URL, PINNING_COMMANDS,
    SHELL_ASSIGNMENT, SHELL_CHECKSUM, SHELL_FETCH, SHELL_VARIABLE,
)
from reprolint.knowledge.paths import LFS_POINTER_MAX_SIZE
from reprolint.model import Hit, Severity, rule
from reprolint.project.files import is_test_file
from reprolint.project.runs import entrypoints_to_check

MORE_LINES = 5  # other lines of the same file a message names


# Folders of what no published run uses: documentation, archives, debugging and benchmarking scripts.
_NOT_RUN = re.compile(r"(^|/)(docs?|archived?|[\w-]*archived[\w-]*|deprecated|legacy|debug|benchmarks?|benchmarking)/",
                      re.I)


def _checked(file, project) -> bool:
    """Files whose paths and downloads are the repository's own runs': not its tests, documentation, archives,
    debugging scripts or copies of released packages (decided once per file: four rules ask)."""
    known = project.shared("paths-checked", dict)
    if file.rel not in known:
        known[file.rel] = file.kind in (PYTHON, NOTEBOOK, CONFIG, SCRIPT, MANIFEST) and \
            not is_test_file(file.rel) and not _NOT_RUN.search(file.rel) and not project.is_vendored(file.rel)
    return known[file.rel]


def _others(places: list, file, project) -> str:
    """`(also lines 12, 40)` for the occurrences after the first that a finding stands for; in a notebook,
    `cell 3 line 2`."""
    places = sorted(set(places) - {places[0]})
    if not places:
        return ""
    if file.kind == NOTEBOOK:
        shown = [f"cell {c} line {n}" for c, n in (project.cell_of(file.rel, p) or (0, p) for p in places[:MORE_LINES])]
        return " (also " + ", ".join(shown) + (", ..." if len(places) > MORE_LINES else "") + ")"
    lines = ", ".join(str(line) for line in places[:MORE_LINES]) + (", ..." if len(places) > MORE_LINES else "")
    return f" (also line{'s' if len(places) > 1 else ''} {lines})"


def _machine_paths(file, project, defaults: bool) -> list:
    """The file's machine-specific paths: option defaults (defaults=True) or values the code or config uses."""
    if not _checked(file, project):
        return []
    in_code = file.kind in (PYTHON, NOTEBOOK)
    demo_from = _self_test_start(file, project) if in_code else None
    return [p for p in file.facts.machine_paths
            if (in_code and bool(p[3])) == defaults and not (demo_from and p[0] > demo_from)]


def _self_test_start(file, project):
    """The line of a library module's `if __name__ == "__main__":` that no run of the repository executes (a
    demo of the module on the author's files), or None."""
    guard = file.facts.python.main_guard if file.facts.python else None
    if guard is None or any(e.rel == file.rel for e in entrypoints_to_check(project)):
        return None
    return guard


@rule(
    code="RPL701", name="machine-specific-path", area="Paths", severity=Severity.WARNING,
    summary="A path that exists only on the author's machine, in code, a config or a script",
    why="""
        `/home/alice/data`, `/Users/bob/ckpt`, `C:\\Users\\...`, `/content/drive/MyDrive/...` or a cluster's
        `/scratch` and `/checkpoint` exist on one machine. On any other the run stops with a missing file: the most
        common single cause of notebooks that fail to re-run (Pimentel et al., 2019).
    """,
    fix="Make the path an option or a config key with a default inside the repository (`data/`), and say in the "
        "README what to put there.",
    per_file=True,
    example="""
        import numpy as np

        data = np.load("/home/alice/projects/cifar/train.npz")
    """,
    use_instead="""
        import argparse

        import numpy as np

        parser = argparse.ArgumentParser()
        parser.add_argument("--data", default="data/train.npz")
        data = np.load(parser.parse_args().data)
    """,
)
def machine_specific_path(file, project):
    found = _machine_paths(file, project, defaults=False)
    if not found:
        return
    line, col, value, key = found[0]
    others = _others([p[0] for p in found], file, project)
    if file.kind in (PYTHON, NOTEBOOK):
        yield Hit(file.rel, line, f"`{value}` is a path on the author's machine{others}: elsewhere the run stops "
                                  f"with a missing file", col=col,
                  fix="Take the path from a command-line option or a config key, with a default relative to the "
                      "repository, and say in the README where the data goes.")
        return
    if file.kind == CONFIG:
        what = f"config key `{key}` holds" if key else "the config holds"
    else:
        what = "the script uses"
    yield Hit(file.rel, line, f"{what} `{value}`, a path on the author's machine{others}: elsewhere the run stops "
                              f"with a missing file", col=col,
              fix="Use a path relative to the repository or to one data-root option, and say in the README where "
                  "the data goes.")


@rule(
    code="RPL702", name="machine-specific-default", area="Paths", severity=Severity.INFO,
    summary="A command-line option whose default is a path on the author's machine",
    why="""
        The option can be given, so the code runs elsewhere; but a run without it (the README's command, a
        reviewer's first try) looks in a folder that only exists where the author worked, and the default tells a
        reader nothing about what the option should point at.
    """,
    fix="Default to a path inside the repository (`data/`), or make the option required, and say in the README "
        "what it points at.",
    per_file=True,
    example="""
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("--data", default="/scratch/alice/imagenet")
        args = parser.parse_args()
    """,
    use_instead="""
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("--data", default="data/imagenet")
        args = parser.parse_args()
    """,
)
def machine_specific_default(file, project):
    commands = project.command_arguments.get(file.rel, [])
    for line, col, value, option in _machine_paths(file, project, defaults=True):
        if commands and all(_passes(arguments, option) for arguments in commands):
            continue  # every command that runs the script sets the option: the default is never used
        yield Hit(file.rel, line, f"the default of {option} is `{value}`, a path on the author's machine: a run "
                                  f"that does not set {option} looks for a folder that exists only there", col=col)


def _passes(arguments: list, option: str) -> bool:
    return any(a == option or a.startswith(option + "=") for a in arguments)


def _shell_lines(file, project) -> list:
    """(line, command) of what a file runs in a shell: a script's lines, a notebook's `!` lines, a Dockerfile's."""
    if not _checked(file, project):
        return []
    if file.kind == NOTEBOOK:
        data = file.facts.data
        return [tuple(item) for item in data.get("shell", ())] if isinstance(data, dict) else []
    is_dockerfile = file.kind == MANIFEST and file.rel.rsplit("/", 1)[-1].lower().startswith("dockerfile")
    if file.kind == SCRIPT or is_dockerfile:
        return [(n, line) for n, line in enumerate((file.facts.text or "").split("\n"), 1)
                if not line.lstrip().startswith("#")]
    return []


def _unchecked_downloads(file, project) -> list:
    """(line, what, url) of each download of data or weights in the file that nothing in the file checks. A
    Dockerfile's downloads are the tools it installs, not data."""
    if not _checked(file, project):
        return []
    found = []
    shell = _shell_lines(file, project) if file.kind != MANIFEST else []
    if shell and not any(SHELL_CHECKSUM.search(text) for _, text in shell):
        variables: dict = {}
        for line, text in shell:
            if assignment := SHELL_ASSIGNMENT.match(text):
                variables[assignment.group(1)] = assignment.group(3)
            text = SHELL_VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), text)
            for match in SHELL_FETCH.finditer(text):
                url = match.group(2)
                if (DATA_URL.search(url) and not MEDIA_URL.search(url)) or match.group(1) == "gdown":
                    found.append((line, match.group(1), url))
                    break
    python = file.facts.python
    if python is not None and not any(CHECKSUM_CALLS.search(call.name) for call in python.calls):
        for call in python.calls:
            if call.name not in DOWNLOAD_CALLS or _verifies(call, DOWNLOAD_CALLS[call.name]):
                continue
            url = next((a for a in call.args if isinstance(a, str) and "://" in a), "")
            found.append((call.line, call.name.rsplit(".", 1)[-1] + "()", url))
    return found


def _verifies(call, checks) -> bool:
    """A download call given a checksum (or `check_hash=True`) by keyword or in its argument's position."""
    if checks is None:
        return False
    keywords, position = checks
    given = [call.kwargs.get(k) for k in keywords]
    if position is not None and len(call.args) > position:
        given += call.args[position:position + len(keywords)]
    return any(value not in (None, False) for value in given)


@rule(
    code="RPL703", name="download-without-checksum", area="Paths", severity=Severity.INFO,
    summary="Data or weights downloaded by URL with nothing checking what arrived",
    why="""
        A file behind a URL can change, move or come back truncated: a re-uploaded checkpoint, a dataset fixed in
        place, a Google Drive quota page saved as `model.pth`. Without a checksum the run goes on with whatever
        arrived, and the numbers change with no error.
    """,
    fix="Record the file's SHA-256 and check it after the download (`sha256sum -c`, `hashlib`, or the download "
        "function's own `md5=` / `file_hash=` / `check_hash=True`).",
    per_file=True,
    example={"download.sh": """
        wget https://example.org/weights/model_best.pth -O checkpoints/model_best.pth
    """},
    use_instead={"download.sh": """
        wget https://example.org/weights/model_best.pth -O checkpoints/model_best.pth
        echo "3f2a9c0d5be1c7a5f8e4d1b2a6c9e0f7d3b5a1c8e2f4a6b9d0c3e5f7a1b2c4d6  checkpoints/model_best.pth" | sha256sum -c
    """},
)
def download_without_checksum(file, project):
    found = _unchecked_downloads(file, project)
    if not found:
        return
    line, what, url = found[0]
    target = f" of {url}" if url else ""
    others = _others([f[0] for f in found], file, project)
    yield Hit(file.rel, line, f"{what} download{target} with no checksum check{others}: a changed or truncated file "
                              f"goes unnoticed")


def _unpinned_clones(file, project) -> list:
    shell = _shell_lines(file, project)
    if any(PINNING_COMMANDS.search(text) for _, text in shell):
        return []
    return [(line, match.group("args").split()) for line, text in shell for match in GIT_CLONE.finditer(text)
            if not CLONE_PINNED_ARGS.search(match.group("args"))]


@rule(
    code="RPL704", name="clone-without-revision", area="Paths", severity=Severity.INFO,
    summary="A `git clone` in a setup script or notebook that checks out no commit or tag",
    why="""
        A clone gets whatever the default branch holds on the day it runs. The code the results came from is one
        commit of it; months later the clone brings other code, or code that no longer runs with the rest.
    """,
    fix="Check out the commit the results were produced with after cloning (`git -C DIR checkout <sha>`), or "
        "clone a tag (`git clone --branch v1.2 --depth 1 URL`).",
    per_file=True,
    example={"setup.sh": """
        git clone https://github.com/example/toolkit.git
        pip install -e toolkit
    """},
    use_instead={"setup.sh": """
        git clone https://github.com/example/toolkit.git
        git -C toolkit checkout 4f1c2e9
        pip install -e toolkit
    """},
)
def clone_without_revision(file, project):
    found = _unpinned_clones(file, project)
    if not found:
        return
    line, args = found[0]
    url = next((a.strip("'\"") for a in args if "://" in a or a.startswith("git@")), "a repository")
    others = _others([f[0] for f in found], file, project)
    yield Hit(file.rel, line, f"`git clone` of {url} without a commit or tag{others}: it gets whatever the default "
                              f"branch holds that day")


_OID = "4d7a2146cae0b3a9c11f8e3f5c2b6a1d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b"
_POINTER = f"version https://git-lfs.github.com/spec/v1\noid sha256:{_OID}\nsize 44738432\n"


def _lfs_patterns(project):
    """The patterns of every .gitattributes that Git LFS stores (`*.pth filter=lfs diff=lfs merge=lfs -text`),
    each as (folder of the .gitattributes, pattern)."""
    found = []
    for file in project.files.values():
        if file.rel.rsplit("/", 1)[-1] == ".gitattributes" and file.facts.text:
            folder = posixpath.dirname(file.rel)
            found += [(folder, line.split()[0]) for line in file.facts.text.splitlines()
                      if "filter=lfs" in line and not line.lstrip().startswith("#") and line.split()]
    return found


def _stored_by_lfs(rel: str, patterns: list) -> bool:
    for folder, pattern in patterns:
        if folder and not rel.startswith(folder + "/"):
            continue
        inner = rel[len(folder) + 1:] if folder else rel
        target = inner if "/" in pattern.strip("/") else inner.rsplit("/", 1)[-1]
        if fnmatch.fnmatch(target, pattern.strip("/")):
            return True
    return False


def _versioned_by_dvc(project, rel: str) -> bool:
    return rel + ".dvc" in project.all_paths or posixpath.dirname(rel) + ".dvc" in project.all_paths


@rule(
    code="RPL705", name="data-committed-raw", area="Paths", severity=Severity.INFO,
    summary="A data or weight file over 50 MiB committed to Git itself, not through Git LFS or DVC",
    why="""
        GitHub warns about files over 50 MiB and refuses them over 100 MiB; every clone downloads every version
        of them forever. Weights and data kept this way are usually the first thing dropped from a fork or a
        mirror, and the results with them.
    """,
    fix="Track the file with Git LFS (`git lfs track '*.pth'`, then commit .gitattributes) or version it with DVC, "
        "or publish it as a release asset with its checksum.",
    example={"pyproject.toml": """
        [tool.reprolint]
        large-data-kb = 1  # the default is 51200 (50 MiB)
    """, "data/train.csv": "x,y\n" + "0.5,1\n" * 400},
    use_instead={"pyproject.toml": """
        [tool.reprolint]
        large-data-kb = 1  # the default is 51200 (50 MiB)
    """, ".gitattributes": "*.csv filter=lfs diff=lfs merge=lfs -text\n", "data/train.csv": "x,y\n" + "0.5,1\n" * 400},
)
def data_committed_raw(project):
    patterns = _lfs_patterns(project)
    limit = project.config.large_data_kb * 1024
    for rel, (size, pointer) in sorted(project.blobs.items()):
        if size > limit and not pointer and not is_test_file(rel) and \
                not _stored_by_lfs(rel, patterns) and not _versioned_by_dvc(project, rel):
            yield Hit(rel, 1, f"{size / 2 ** 20:.0f} MiB of data or weights committed to Git itself: no "
                              f".gitattributes stores it with Git LFS and no .dvc file versions it")


@rule(
    code="RPL706", name="lfs-object-missing", area="Paths", severity=Severity.WARNING,
    summary="A Git LFS pointer whose object this checkout does not have",
    why="""
        The file in the working tree is the pointer Git LFS leaves in place of the data: the weights or data it
        stands for were never fetched into this clone, or the LFS server no longer serves them (a quota run out, a
        deleted object). Code that loads it fails, or reads 130 bytes of text as a checkpoint.
    """,
    fix="Run `git lfs pull`; if the object cannot be fetched, publish the file elsewhere with its checksum and say "
        "where in the README.",
    example={".git/HEAD": "ref: refs/heads/main\n", "weights/model.pth": _POINTER},
    use_instead={".git/HEAD": "ref: refs/heads/main\n", "weights/model.pth": _POINTER,
                 f".git/lfs/objects/{_OID[:2]}/{_OID[2:4]}/{_OID}": "the object\n"},
)
def lfs_object_missing(project):
    git = project.root / ".git"
    if not git.is_dir() or git.is_symlink() or not is_within(os.path.realpath(project.root), os.path.realpath(git)):
        return  # an export without Git (the objects cannot be looked for), or a .git that leads elsewhere
    lfs_store = git / "lfs" / "objects"
    for rel, (size, pointer) in sorted(project.blobs.items()):
        if pointer and not is_test_file(rel) and not _has_object(project.root / rel, lfs_store):
            yield Hit(rel, 1, "this is a Git LFS pointer and the clone has no object for it: the data or weights are "
                              "not here")


def _has_object(pointer: Path, store: Path) -> bool:
    try:
        text = pointer.read_text(errors="replace")[:LFS_POINTER_MAX_SIZE]
    except OSError:
        return False
    oid = next((line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("oid sha256:")), "")
    return len(oid) == 64 and (store / oid[:2] / oid[2:4] / oid).is_file()
