"""Facts cached by content hash, so that a warm run on an unchanged repository parses nothing.

Like ruff, a file whose size and modification time are those of the last run is not even read: an index from
path and stat to content hash answers it. A file touched but unchanged is read, hashed, and found by its hash.

The cache lives in the user's cache directory, never in the analyzed repository (reprolint does not write there),
one file per analyzed root. It holds plain data only (reprolint.facts.codec, stored with `marshal`), so reading a
planted or corrupted cache runs nothing: a pickle would run whatever callable its file names, and a cache folder can
be shared, restored by CI from another job, or put inside a checkout with --cache-dir. A file that another user owns
or that others may write is not read at all, and a file whose checksum or version does not match is ignored.
"""
from __future__ import annotations

import hashlib
import os
import marshal
import stat
import tempfile
from pathlib import Path
from typing import Optional

from reprolint import __version__
from reprolint.facts.codec import NotPlainData, decode, encode

FORMAT = 4  # bump when the cache layout changes shape


def _extractor_fingerprint() -> str:
    """Facts depend on the code that extracts them: an install from a development checkout changes that code
    without changing the version, so the cache is keyed by the extractor's own source too."""
    from reprolint import discover, facts
    from reprolint.knowledge import distributions
    from reprolint.readers import readme, setup_py

    sources = sorted(Path(facts.__file__).parent.glob("*.py"))
    sources += [Path(m.__file__) for m in (discover, setup_py, distributions, readme)]
    digest = hashlib.blake2b(digest_size=8)
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def default_cache_dir() -> Path:
    if os.environ.get("REPROLINT_CACHE_DIR"):
        return Path(os.environ["REPROLINT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reprolint"


def content_key(kind: str, content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16, person=kind.encode()[:16]).hexdigest()


class FactsCache:
    def __init__(self, directory: Optional[Path], root: Path):
        self._path = None
        self._entries: dict = {}
        self._encoded: dict = {}  # content key -> the entry as the cache file holds it: saved again without encoding
        self._by_stat: dict = {}  # relative path -> ((size, mtime_ns), content key), as of the last run
        self._new_by_stat: dict = {}
        self._used: set = set()
        self._dirty = False
        if directory is None:
            return
        self._version = (__version__, FORMAT, _extractor_fingerprint())
        root_id = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]
        self._path = directory / f"facts-{root_id}.cache"
        self._entries, self._encoded, self._by_stat = _load(self._path, self._version)

    def key_by_stat(self, rel: str, stat: tuple) -> Optional[str]:
        """The content key of a file unchanged since the last run (same size and mtime), without reading it."""
        known = self._by_stat.get(rel)
        return known[1] if known and known[0] == stat else None

    def remember_stat(self, rel: str, stat: tuple, key: str) -> None:
        self._new_by_stat[rel] = (stat, key)

    def get(self, key: str):
        facts = self._entries.get(key)
        if facts is not None:
            self._used.add(key)
        return facts

    def put(self, key: str, facts) -> None:
        self._entries[key] = facts
        self._encoded.pop(key, None)
        self._used.add(key)
        self._dirty = True

    def save(self) -> Optional[str]:
        """Write the cache back, dropping what this run did not use; returns a note if it cannot."""
        unchanged = not self._dirty and len(self._used) == len(self._entries) and self._new_by_stat == self._by_stat
        if self._path is None or unchanged:
            return None
        entries = {key: self._encoded[key] for key in self._used if key in self._encoded}
        for key in self._used - entries.keys():
            try:
                entries[key] = encode(self._entries[key])
            except NotPlainData:
                continue  # a value outside the facts' vocabulary: parsed again next time
        payload = marshal.dumps({"facts": entries, "by_stat": self._new_by_stat})
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".facts-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_header(self._version, payload) + payload)
                os.replace(tmp, self._path)
            finally:  # interrupted or failed: leave no temporary file behind
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError as exc:
            return f"cache not written to {self._path.parent}: {exc.strerror or exc}"
        return None


_MAGIC = b"reprolint-facts\n"


def _header(version: tuple, payload: bytes) -> bytes:
    """The magic line, the version line, and a checksum of the payload (so a torn or altered file is ignored)."""
    return _MAGIC + repr(version).encode() + b"\n" + hashlib.blake2b(payload, digest_size=32).digest()


def _load(path: Path, version: tuple) -> tuple[dict, dict, dict]:
    """(facts by content key, the same as stored, and the stat index) from a cache file, or empty ones when it is absent, not the user's own,
    writable by others, from another version, or damaged."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not _trusted(info):
                return {}, {}, {}
            blob = handle.read()
        head = _header(version, b"")[:-32]
        digest, payload = blob[len(head):len(head) + 32], blob[len(head) + 32:]
        if not blob.startswith(head) or hashlib.blake2b(payload, digest_size=32).digest() != digest:
            return {}, {}, {}
        stored = marshal.loads(payload)
        encoded = dict(stored["facts"])
        facts = {key: decode(value) for key, value in encoded.items()}
        by_stat = {rel: (tuple(st), key) for rel, (st, key) in stored["by_stat"].items()}
        return facts, encoded, by_stat
    except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError, NotPlainData, RecursionError):
        return {}, {}, {}


def _trusted(info: os.stat_result) -> bool:
    """A cache file is read only when the user running reprolint owns it and nobody else may write it."""
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
