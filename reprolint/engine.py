"""One run: discover, extract facts (cached, in parallel), build the project model, run rules, suppress."""
from __future__ import annotations

import difflib
import gc
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Optional

from reprolint.cache import FactsCache, content_key, default_cache_dir
from reprolint.config import Config, ConfigError, load_config
from reprolint.discover import NOTEBOOK, discover, matches_glob
from reprolint.facts import FileFacts, ParseError, extract
from reprolint.facts.types import FileSkipped
from reprolint.model import Finding, Hit, Rule, all_rules, matches
from reprolint.project import Project, SourceFile

UNUSED_SUPPRESSION = "RPL002"
PARALLEL_THRESHOLD = 64  # below this many files to parse, a process pool costs more than it saves
FILE_TIME_LIMIT = 20.0  # seconds to read one file: far above a real file's time, far below a stalled run's


@dataclass
class Options:
    paths: list = field(default_factory=lambda: [Path(".")])
    select: Optional[list] = None  # None: the config decides
    ignore: Optional[list] = None
    config_file: Optional[Path] = None
    use_cache: bool = True
    cache_dir: Optional[Path] = None
    show_unused_suppressions: bool = False
    jobs: Optional[int] = None
    pin_from_env: bool = False  # fixes pin dependencies to the installed versions


@dataclass
class Result:
    root: Path
    config: Config
    project: Project
    findings: list
    rules: dict  # the rules that ran, by code
    notes: list = field(default_factory=list)  # skipped files and other remarks
    errors: list = field(default_factory=list)  # internal errors and unreadable paths: the run exits 2

    @property
    def files_analyzed(self) -> int:
        return len(self.project.files)

    @cached_property
    def score(self):
        """Per-area and overall scores (reprolint/score.py)."""
        from reprolint.score import score

        return score(self)

    @cached_property
    def provenance(self):
        """The commit, branch and remote of the analyzed tree, read from its .git folder (readers/git.py)."""
        from reprolint.readers.git import provenance

        return provenance(self.root)

    @property
    def checklist(self):
        """The README's ML Code Completeness Checklist, or None without a README at the root."""
        from reprolint.project.checklist import checklist

        readme = self.project.readme
        return checklist(self.project) if readme is not None and "/" not in readme.rel else None


def analysis_root(paths: list) -> Path:
    """The folder that findings' paths are relative to and whose config applies: the targets' common folder."""
    folders = [str(p.resolve() if p.is_dir() else p.resolve().parent) for p in paths]
    return Path(os.path.commonpath(folders))


def analyze(options: Options) -> Result:
    root = analysis_root(options.paths)
    config = load_config(root, options.config_file)
    config.pin_from_env = options.pin_from_env
    found = discover(root, [p.resolve() for p in options.paths], config.exclude, config.respect_gitignore,
                     config.max_file_size_kb * 1024)
    with _collector_paused():
        cache = FactsCache((options.cache_dir or default_cache_dir()) if options.use_cache else None, root)
        files, notes, errors = _read_facts(root, found, cache, options.jobs)
        note = cache.save()
    project = Project(root, files, found.all_paths, config, found.blobs)
    rules = _selected_rules(config, options)
    raw, rule_errors = _run_rules(rules, project)
    findings, unused = _suppress(raw, project, config, rules if options.show_unused_suppressions else None)
    findings = sorted((_locate_in_cell(f, project) for f in findings + unused), key=lambda f: f.sort_key)
    return Result(root, config, project, findings, rules, notes=found.notes + notes + ([note] if note else []),
                  errors=found.errors + errors + rule_errors)


@contextmanager
def _collector_paused():
    """Facts are many small acyclic objects: building, pickling and unpickling them triggers the cyclic garbage
    collector over and over for nothing (measured: a fifth of a cold run). Pause it for that phase."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # the facts live until the end: never scan them again (a full pass costs half a second)
        if enabled:
            gc.enable()


# ---------------------------------------------------------------- facts

def _read_facts(root: Path, found, cache: FactsCache, jobs: Optional[int]):
    files: dict[str, SourceFile] = {}
    notes, errors, todo = [], [], []
    for rel, kind in found.files.items():
        stat = found.stats[rel]
        known = cache.key_by_stat(rel, stat)
        facts = cache.get(known) if known else None
        if facts is not None:
            cache.remember_stat(rel, stat, known)
            files[rel] = SourceFile(rel, kind, facts)
            continue
        try:
            content = (root / rel).read_bytes()
        except OSError as exc:
            facts = FileFacts(errors=[ParseError(1, 1, f"cannot be read ({exc.strerror or exc})")])
            files[rel] = SourceFile(rel, kind, facts)
            continue
        if kind != NOTEBOOK and b"\0" in content[:8192]:
            notes.append(f"{rel}: binary file skipped")
            continue
        key = content_key(kind, content)
        cache.remember_stat(rel, stat, key)
        facts = cache.get(key)
        if facts is None:
            todo.append((rel, kind, content, key))
        else:
            files[rel] = SourceFile(rel, kind, facts)
    unique = list({item[3]: item for item in todo}.values())  # identical files (vendored copies) parse once
    extracted = dict(zip((item[3] for item in unique), _extract_all(unique, jobs)))
    for rel, kind, _, key in todo:
        facts, problem = extracted[key]
        if isinstance(problem, FileSkipped):
            notes.append(f"{rel}: {problem}")
            continue
        if problem:
            errors.append(f"{rel}: internal error while reading: {problem}")
            continue
        cache.put(key, facts)
        files[rel] = SourceFile(rel, kind, facts)
    return dict(sorted(files.items())), notes, errors


class _TimeLimit(Exception):
    pass


def _on_alarm(signum, frame):
    raise _TimeLimit


def _extract_safely(item: tuple) -> tuple:
    """(facts, None), or (None, why) when reading the file failed: a bug in reprolint is reported for this file, a
    file left out on purpose or taking longer than FILE_TIME_LIMIT is skipped (why: a FileSkipped, which becomes a
    note), and either way the run goes on."""
    rel, kind, content, _ = item
    timed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if timed:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, FILE_TIME_LIMIT)
    try:
        return extract(rel, kind, content), None
    except _TimeLimit:
        return None, FileSkipped(f"skipped: reading it took longer than {FILE_TIME_LIMIT:g} s")
    except FileSkipped as skipped:  # left out on purpose (a generated line too long to parse): a note
        return None, skipped
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}"
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _start_worker() -> None:
    """A parser worker: no garbage collector (short-lived, allocation-heavy), and it dies with the run (Linux:
    PR_SET_PDEATHSIG), so a run killed with SIGKILL leaves no orphans parsing on."""
    gc.disable()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass


def _extract_all(todo: list, jobs: Optional[int]) -> list:
    workers = jobs or os.cpu_count() or 1
    if workers > 1 and len(todo) >= PARALLEL_THRESHOLD:
        try:
            with ProcessPoolExecutor(workers, initializer=_start_worker) as pool:
                return list(pool.map(_extract_safely, todo, chunksize=32))
        except BrokenProcessPool:  # a reader crashed the process (a native parser): find the file, alone
            return [_extract_isolated(item) for item in todo]
        except OSError:  # no process can start: do it here
            pass
    return [_extract_safely(item) for item in todo]


def _extract_isolated(item: tuple) -> tuple:
    """One file read in a process of its own, so that a crash of its reader costs only that file."""
    try:
        with ProcessPoolExecutor(1, initializer=_start_worker) as pool:
            return pool.submit(_extract_safely, item).result()
    except BrokenProcessPool:
        return None, FileSkipped("skipped: its reader crashed the process that read it")


# ---------------------------------------------------------------- rules

def _selected_rules(config: Config, options: Options) -> dict[str, Rule]:
    """The rules to run; a selector that names no rule is a usage error, since a gate on it would pass silently."""
    source = config.source or "the configuration"
    select = options.select if options.select is not None else config.select
    ignore = options.ignore if options.ignore is not None else config.ignore
    _check_selectors(select, "--select" if options.select is not None else f"{source}: select")
    _check_selectors(ignore, "--ignore" if options.ignore is not None else f"{source}: ignore")
    for glob, codes in config.per_file_ignores.items():
        _check_selectors(codes, f"{source}: per-file-ignores for '{glob}'")
    return {code: r for code, r in all_rules().items() if matches(code, select) and not matches(code, ignore)}


def _check_selectors(selectors, where: str) -> None:
    codes = sorted(all_rules())
    for selector in selectors:
        if selector != "ALL" and not any(code.startswith(selector) for code in codes):
            close = _closest_code(selector.upper(), codes)
            hint = f" (did you mean {close}?)" if close else ""
            raise ConfigError(f"{where}: unknown rule code or prefix '{selector}'{hint}")


def _closest_code(selector: str, codes: list) -> Optional[str]:
    """The code a mistyped one meant: among codes of its length, the one that differs in fewest places (RPL1O1 is
    RPL101), else the closest by difflib."""
    same_length = [c for c in codes if len(c) == len(selector)]
    if same_length:
        best = max(same_length, key=lambda c: (sum(a == b for a, b in zip(c, selector)), -codes.index(c)))
        if sum(a != b for a, b in zip(best, selector)) <= 2:
            return best
    close = difflib.get_close_matches(selector, codes, n=1, cutoff=0.6)
    return close[0] if close else None


def _run_rules(rules: dict, project: Project) -> tuple[list, list]:
    findings, errors = [], []
    for rule in rules.values():
        targets = list(project.files.values()) if rule.per_file else [None]
        for target in targets:
            try:
                hits = rule.check(target, project) if rule.per_file else rule.check(project)
                findings.extend(rule.finding(h) for h in hits)
            except Exception as exc:  # one broken rule must not lose the other findings
                where = f" on {target.rel}" if target else ""
                errors.append(f"rule {rule.code} ({rule.name}) failed{where}: {type(exc).__name__}: {exc}")
    return findings, errors


# ---------------------------------------------------------------- suppressions

def _suppress(findings: list, project: Project, config: Config, ran: Optional[dict]) -> tuple[list, list]:
    """The findings no suppression covers, and (when `ran`, the rules that ran, is given) the suppressions that
    covered nothing."""
    kept, used = [], set()
    for finding in findings:
        if any(matches_glob(finding.path, glob) and matches(finding.code, codes)
               for glob, codes in config.per_file_ignores.items()):
            continue
        file = project.files.get(finding.path)
        if file is None:
            kept.append(finding)
            continue
        if matches(finding.code, file.facts.file_ignores):
            used.update((finding.path, 0, c) for c in file.facts.file_ignores if matches(finding.code, [c]))
            continue
        codes = file.facts.suppressions.get(finding.line, ())
        hit = [c for c in codes if matches(finding.code, [c])]
        if hit:
            used.update((finding.path, finding.line, c) for c in hit)
            continue
        kept.append(finding)
    return kept, _unused_suppressions(project, used, ran) if ran is not None and UNUSED_SUPPRESSION in ran else []


def _unused_suppressions(project: Project, used: set, ran: dict) -> list:
    """Like ruff's RUF100: for codes that ran, and codes that name no rule at all (a typo); a rule that was not
    selected cannot have been silenced."""
    rule = ran[UNUSED_SUPPRESSION]
    known = all_rules()
    out = []
    for file in project.files.values():
        places = [(0, c) for c in file.facts.file_ignores]
        places += [(line, c) for line, codes in file.facts.suppressions.items() for c in codes]
        for line, code in places:
            unknown = not any(matches(c, [code]) for c in known)
            if (file.rel, line, code) not in used and (unknown or any(matches(c, [code]) for c in ran)):
                what = "every code" if code == "ALL" else f"{code}, which is no reprolint rule," if unknown else code
                scope = "in this file" if line == 0 else "on this line"
                out.append(rule.finding(Hit(file.rel, line or 1, f"suppression of {what} suppresses nothing {scope}",
                                            fix="remove it, or correct the code it names")))
    return out


def _locate_in_cell(finding: Finding, project: Project) -> Finding:
    """Notebook findings point at `cell N, line M` instead of a line of the joined source."""
    cell = project.cell_of(finding.path, finding.line)
    return replace(finding, cell=cell[0], line=cell[1]) if cell else finding
