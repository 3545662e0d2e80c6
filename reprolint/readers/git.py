"""Where the analyzed tree comes from: its commit, branch and remote, read from the files of its `.git` folder.

Git itself is never run (no hook, no config-driven command can execute), nothing outside the analyzed root is read
(a worktree's `.git` file and a `.git` that is a link lead elsewhere: provenance is then unknown), and the remote
URL loses any credentials it carries (`https://user:token@host/...`).
"""
from __future__ import annotations

import configparser
import os
import re
from pathlib import Path
from typing import NamedTuple, Optional
from urllib.parse import quote

from reprolint.discover import is_within

_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_READ_LIMIT = 1024 * 1024  # a HEAD, a ref or a config bigger than this is not Git's
_USERINFO = re.compile(r"(?<=://)[^/@]+@")
# Forges whose web pages link a file at a commit, and how: {base}/blob/{commit}/{path}#L{line} on GitHub.
_FORGES = {"github.com": "{base}/blob/{commit}/{path}#L{line}", "gitlab.com": "{base}/-/blob/{commit}/{path}#L{line}",
           "bitbucket.org": "{base}/src/{commit}/{path}#lines-{line}"}
_REMOTE = re.compile(r"^(?:https?://|ssh://git@|git@)(?P<host>[\w.-]+)[/:](?P<path>[\w.-]+/[\w.-]+?)(?:\.git)?/?$")


class Provenance(NamedTuple):
    commit: Optional[str]
    branch: Optional[str]  # None when HEAD is detached
    remote: Optional[str]  # the URL of `origin` (or the first remote), without credentials

    def permalink(self, path: str, line: int) -> Optional[str]:
        """The forge's page of a file at this commit, at a line: built from the remote, never fetched."""
        match = _REMOTE.match(self.remote or "")
        if not match or not self.commit or match.group("host") not in _FORGES or path == ".":
            return None
        base = f"https://{match.group('host')}/{match.group('path')}"
        return _FORGES[match.group("host")].format(base=base, commit=self.commit, path=quote(path), line=line)


UNKNOWN = Provenance(None, None, None)


def provenance(root: Path) -> Provenance:
    git = root / ".git"
    real_root = os.path.realpath(root)
    if git.is_symlink() or not git.is_dir() or not is_within(real_root, os.path.realpath(git)):
        return UNKNOWN
    head = _read(git, "HEAD")
    if head is None:
        return UNKNOWN
    branch = commit = None
    if head.startswith("ref:"):
        ref = head[4:].strip()
        branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
        commit = _resolve(git, ref)
    elif _SHA.match(head):
        commit = head
    return Provenance(commit, branch, _remote(git))


def _read(git: Path, rel: str) -> Optional[str]:
    """A file of the .git folder, when it lies inside it and is small enough; None otherwise."""
    if ".." in Path(rel).parts or rel.startswith("/"):
        return None
    path = git / rel
    real = os.path.realpath(path)
    if not is_within(os.path.realpath(git), real) or not os.path.isfile(real):
        return None
    try:
        with open(real, "rb") as handle:
            data = handle.read(_READ_LIMIT + 1)
    except OSError:
        return None
    return data.decode("utf-8", "replace").strip() if len(data) <= _READ_LIMIT else None


def _resolve(git: Path, ref: str) -> Optional[str]:
    loose = _read(git, ref)
    if loose and _SHA.match(loose):
        return loose
    for line in (_read(git, "packed-refs") or "").splitlines():
        sha, _, name = line.partition(" ")
        if name.strip() == ref and _SHA.match(sha):
            return sha
    return None


def _remote(git: Path) -> Optional[str]:
    text = _read(git, "config")
    if not text:
        return None
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    remotes = [s for s in parser.sections() if s.startswith('remote "')]
    chosen = 'remote "origin"' if 'remote "origin"' in remotes else (remotes[0] if remotes else None)
    url = parser.get(chosen, "url", fallback=None) if chosen else None
    return _USERINFO.sub("", url.strip()) if url else None
