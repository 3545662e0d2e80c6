"""Documentation (RPL6xx): the README a reproduction starts from, scored by the ML Code Completeness Checklist
(reprolint/checklist.py) against the files, and the commands it gives checked against the code."""
from __future__ import annotations

import difflib
import posixpath
import re

from reprolint.knowledge.checklist import LEADING_TRAINING_NAMES
from reprolint.model import Hit, Severity, rule
from reprolint.project.checklist import LICENSE_FILES, Checklist, checklist
from reprolint.project.provided import FITS, NAMED
from reprolint.project.runs import is_example
from reprolint.readers.interface import interface_of
from reprolint.readers.readme import INLINE
from reprolint.rules import autofixes
from reprolint.rules.general import WHOLE_REPOSITORY

# The script beside the README in these rules' examples: what the README documents.
_TRAIN = """
    import argparse

    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=0.1)
    args = parser.parse_args()
    torch.manual_seed(0)
    model = torch.nn.Linear(10, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    model(torch.randn(8, 10)).sum().backward()
    optimizer.step()
    torch.save(model.state_dict(), "model.pt")
"""


@rule(
    code="RPL601", name="no-readme", area="Documentation", severity=Severity.ERROR,
    summary="The repository has no README",
    why="""
        The README is where a reader learns how to install the project, train, evaluate, get the weights and
        reproduce the results. Without one, every other artefact has to be reverse-engineered.
    """,
    fix="""
        Add a README.md at the root with the sections of the ML Code Completeness Checklist: requirements and
        install, training, evaluation, pre-trained models, and results with the commands that reproduce them.
    """,
    example={"train.py": _TRAIN},
    use_instead={
        "README.md": """
            # Linear probe on CIFAR-10

            ## Training

            ```train
            python train.py --lr 0.1
            ```
        """,
        "train.py": _TRAIN,
    },
)
def no_readme(project):
    readme = project.readme
    if readme is None or "/" in readme.rel:
        where = f" (only {readme.rel}, which is not at the root)" if readme else ""
        yield Hit(WHOLE_REPOSITORY, 1, f"no README at the root of the repository{where}")


def _missing_item(project, key: str, absent: str, when=None, shown_by_code: bool = False):
    """A finding for a checklist item the README does not show, at the line that only promises it, if one does.
    `when(checklist)` says whether the repository needs the item at all (one that trains nothing needs no
    training command); with `shown_by_code`, what the code provides (a weights loader) is enough."""
    result: Checklist = checklist(project)
    if result is None or "/" in project.readme.rel:
        return
    item = result.item(key)
    if item.ticked if shown_by_code else item.documented:
        return
    reported = {id(command) for command, _ in result.missing}
    if any(key in run.purposes and run.script is None and id(run.command) in reported for run in result.runs):
        return  # the README gives the command, for a script that does not exist: RPL612 says so
    if when is not None and not when(result) and item.prose is None and item.partial is None:
        return  # nothing to train or evaluate, and no line that promises or half-delivers the item
    fix = autofixes.readme_skeleton(project, key) if key in autofixes.README_SECTIONS else None
    fixes = (fix,) if fix else ()
    if item.partial is not None:
        yield Hit(item.partial.path, item.partial.line, item.partial.text, autofixes=fixes)
    elif item.prose is not None:
        yield Hit(item.prose.path, item.prose.line, f"{absent}; this line only promises it: {item.prose.text!r}",
                  autofixes=fixes)
    else:
        yield Hit(project.readme.rel, 1, absent, autofixes=fixes)


def _trains(result: Checklist) -> bool:
    """The repository trains, or its README promises the training code. A library whose only training code is
    in its examples (or docs, benchmarks) trains nothing itself: its examples show how to use it."""
    training = result.item("training")
    return bool([a for a in _own(training.artefacts) if _trained(a)] or training.prose)


def _trained(artefact) -> bool:
    """Found training by the analysis, or named for it from the start (knowledge: LEADING_TRAINING_NAMES)."""
    named = _LEADING_TRAINING_NAME.match(posixpath.basename(artefact.path))
    return artefact.kind != NAMED or bool(named)


_LEADING_TRAINING_NAME = re.compile(LEADING_TRAINING_NAMES, re.I)


def _trains_networks(result: Checklist) -> bool:
    """The repository trains a network: models it only fits (a scikit-learn estimator, a scipy optimum) are
    refitted in every run, and nobody needs their weights."""
    return _trains(result) and not all(a.kind == FITS for a in _own(result.item("training").artefacts) if _trained(a))


def _runs_experiments(result: Checklist) -> bool:
    """The repository trains, or evaluates outside a package of its own; a package with a paper (a released
    model) evaluates too. A tool's package (its commands restore checkpoints, test the setup) runs no experiment."""
    evaluates = bool(_own(result.item("evaluation").artefacts))
    return _trains(result) or evaluates and (not result.packaged or result.item("paper").ticked)


def _own(artefacts: list) -> list:
    """What the repository's own code provides: not its examples."""
    return [a for a in artefacts if not is_example(a.path)]


def _cites_nothing(result: Checklist) -> bool:
    """No BibTeX entry and no CITATION.cff: with one, the README names what to cite, a paper or the software."""
    return not result.item("citation").ticked


def _governing_manifests(project) -> list:
    """Dependency files of the README's folder: a vendored package's setup.py (utils/progress/) is not the
    repository's to install."""
    return [f for f in project.manifests if f.directory == project.readme.directory]


def _has_paper(result: Checklist) -> bool:
    return result.item("paper").ticked


def _reports_results(result: Checklist) -> bool:
    """The README reports results, or links the paper that does: runs whose hardware and time matter."""
    results = result.item("results")
    return bool(results.ticked or results.partial) or _has_paper(result)


def _provided_by(result: Checklist, key: str) -> str:
    """` (train.py trains (SGD))`: what the repository has that the README does not show."""
    artefacts = result.item(key).artefacts
    return f" ({artefacts[0].path} {artefacts[0].text})" if artefacts else ""


@rule(
    code="RPL602", name="readme-no-install", area="Documentation", severity=Severity.WARNING,
    summary="The README gives no install command for a dependency file that exists (checklist item 1)",
    why="""
        A reproduction starts by rebuilding the environment. A requirements file nobody is told to use, or
        instructions that name a file the repository lacks, leave the reader to guess the install.
    """,
    fix="""
        Add a setup section with the exact command, in a code block tagged `setup`: `pip install -r
        requirements.txt`, `conda env create -f environment.yml`, `pip install -e .`, `uv sync`, ...
    """,
    example={
        "README.md": """
            # Linear probe on CIFAR-10

            ## Training

            ```train
            python train.py --lr 0.1
            ```
        """,
        "requirements.txt": "torch==2.1.2\n",
        "train.py": _TRAIN,
    },
    use_instead={
        "README.md": """
            # Linear probe on CIFAR-10

            ## Requirements

            ```setup
            pip install -r requirements.txt
            ```

            ## Training

            ```train
            python train.py --lr 0.1
            ```
        """,
        "requirements.txt": "torch==2.1.2\n",
        "train.py": _TRAIN,
    },
)
def readme_no_install(project):
    yield from _missing_item(project, "dependencies", "the README has no install command that uses a dependency "
                                                      "file of the repository",
                             when=lambda _: _governing_manifests(project))


def _neutral_runs(project) -> str:
    """Scripts the README runs whose purpose reprolint could not tell: the likely training or evaluation."""
    result = checklist(project)
    names = sorted({r.target for r in result.runs if r.resolved and not r.purposes}) if result else []
    its = "its name, flags, block tag nor section says" if len(names) == 1 else \
        "their names, flags, block tags nor sections say"
    return f" (it runs {', '.join(names[:3])}, but neither {its} what for)" if names else ""


@rule(
    code="RPL603", name="readme-no-training-command", area="Documentation", severity=Severity.WARNING,
    summary="The README gives no command that trains, with a script that exists (checklist item 2)",
    why="""
        Without the training command (script, config and flags) the numbers cannot be regenerated, only the
        released weights re-evaluated; a sentence saying the code is "coming soon" is not the code.
    """,
    fix="""
        Add a training section with the exact command, in a code block tagged `train`: `python train.py --config
        configs/resnet50.yaml`. Name the script or section so that its purpose is plain.
    """,
    example={
        "README.md": """
            # Linear probe on CIFAR-10

            Training code coming soon.
        """,
        "train.py": _TRAIN,
    },
    use_instead={
        "README.md": """
            # Linear probe on CIFAR-10

            ## Training

            ```train
            python train.py --lr 0.1
            ```
        """,
        "train.py": _TRAIN,
    },
)
def readme_no_training_command(project):
    result = checklist(project)
    provides = _provided_by(result, "training") if result else ""
    yield from _missing_item(project, "training", "the README has no command that runs a training script of the "
                                                  "repository" + (_neutral_runs(project) or provides), when=_trains)


@rule(
    code="RPL604", name="readme-no-evaluation-command", area="Documentation", severity=Severity.WARNING,
    summary="The README gives no command that evaluates, with a script that exists (checklist item 3)",
    why="""
        The evaluation command fixes the metric, the split and the protocol: without it, two people evaluating
        the same weights report different numbers.
    """,
    fix="""
        Add an evaluation section with the exact command, in a code block tagged `eval`: `python eval.py
        --checkpoint model.pt --split test`.
    """,
    example={
        "README.md": """
            # Linear probe on CIFAR-10

            ## Training

            ```train
            python train.py --lr 0.1
            ```
        """,
        "train.py": _TRAIN,
        "evaluate.py": """
            import argparse

            import torch

            parser = argparse.ArgumentParser()
            parser.add_argument("--checkpoint", default="model.pt")
            args = parser.parse_args()
            state = torch.load(args.checkpoint)
        """,
    },
    use_instead={
        "README.md": """
            # Linear probe on CIFAR-10

            ## Training

            ```train
            python train.py --lr 0.1
            ```

            ## Evaluation

            ```eval
            python evaluate.py --checkpoint model.pt
            ```
        """,
        "train.py": _TRAIN,
        "evaluate.py": """
            import argparse

            import torch

            parser = argparse.ArgumentParser()
            parser.add_argument("--checkpoint", default="model.pt")
            args = parser.parse_args()
            state = torch.load(args.checkpoint)
        """,
    },
)
def readme_no_evaluation_command(project):
    result = checklist(project)
    provides = _provided_by(result, "evaluation") if result else ""
    yield from _missing_item(project, "evaluation", "the README has no command that runs an evaluation script of "
                                                    "the repository" + (_neutral_runs(project) or provides),
                             when=_runs_experiments)


@rule(
    code="RPL605", name="readme-no-pretrained-models", area="Documentation", severity=Severity.WARNING,
    summary="Neither the README nor the code says where the trained weights are (checklist item 4)",
    why="""
        Released weights let a reader check the reported numbers in minutes instead of re-training for days,
        and separate a training problem from an evaluation one.
    """,
    fix="""
        Link the weights (a release asset, the Hugging Face Hub, Zenodo, a direct .pt/.ckpt/.safetensors URL)
        next to the results they produce, or load them in code with torch.hub or `from_pretrained`.
    """,
    example={
        "README.md": """
            # Linear probe on CIFAR-10

            ## Training

            ```train
            python train.py --lr 0.1
            ```
        """,
        "train.py": _TRAIN,
    },
    use_instead={
        "README.md": """
            # Linear probe on CIFAR-10

            ## Training

            ```train
            python train.py --lr 0.1
            ```

            ## Pre-trained models

            [model.pt](https://github.com/lab/probe/releases/download/v1.0/model.pt)
        """,
        "train.py": _TRAIN,
    },
)
def readme_no_pretrained_models(project):
    yield from _missing_item(project, "pretrained", "the README links no trained weights and no code downloads "
                                                    "them", when=_trains_networks, shown_by_code=True)


@rule(
    code="RPL606", name="readme-no-results-command", area="Documentation", severity=Severity.WARNING,
    summary="No results table next to the command that reproduces it (checklist item 5)",
    why="""
        A table of numbers with the command beside it is the contract a reproduction checks; numbers with no
        command cannot be regenerated, and a command with no numbers gives nothing to compare against.
    """,
    fix="""
        Put the results table in the same section as the command that produces each row (or link the
        leaderboard), with the config and seed.
    """,
    example={
        "README.md": """
            # Linear probe on CIFAR-10

            ## Training

            ```train
            python train.py --lr 0.1
            ```

            ## Results

            The probe reaches 39.2% test accuracy.
        """,
        "train.py": _TRAIN,
    },
    use_instead={
        "README.md": """
            # Linear probe on CIFAR-10

            ## Results

            | Model | Test accuracy |
            |---|---|
            | Linear probe | 39.2% |

            ```train
            python train.py --lr 0.1
            ```
        """,
        "train.py": _TRAIN,
    },
)
def readme_no_results_command(project):
    yield from _missing_item(project, "results", "the README has no results table with a command that reproduces "
                                                 "it", when=_runs_experiments)


def _extra(code: str, name: str, key: str, summary: str, why: str, fix: str, absent: str, example: dict,
           use_instead: dict, when=None, shown_by_code: bool = False):
    @rule(code=code, name=name, area="Documentation", severity=Severity.INFO, summary=summary, why=why, fix=fix,
          example=example, use_instead=use_instead)
    def check(project):
        yield from _missing_item(project, key, absent, when=when, shown_by_code=shown_by_code)
    check.__name__ = name.replace("-", "_")
    return check


_extra("RPL607", "readme-no-paper-link", "paper", "The README links no paper (arXiv, DOI, OpenReview, proceedings)",
       "The paper states the protocol the code is meant to reproduce; readers need it to judge a difference.",
       "Link the paper near the top: its arXiv page, DOI or proceedings page.",
       "the README links no paper", when=_cites_nothing,
       example={
           "README.md": """
               # Linear probe on CIFAR-10

               ## Training

               ```train
               python train.py --lr 0.1
               ```
           """,
           "train.py": _TRAIN,
       },
       use_instead={
           "README.md": """
               # Linear probe on CIFAR-10

               Code for [Linear Probes Revisited](https://arxiv.org/abs/2401.00001).

               ## Training

               ```train
               python train.py --lr 0.1
               ```
           """,
           "train.py": _TRAIN,
       })


@rule(
    code="RPL608", name="no-license", area="Documentation", severity=Severity.INFO,
    summary="The repository has no LICENSE file",
    why="Without a license nobody may legally reuse or redistribute the code, so nobody builds on the results.",
    fix="Add a LICENSE file at the root (MIT, Apache-2.0, BSD-3-Clause, ... as your institution allows).",
    example={"train.py": _TRAIN},
    use_instead={
        "LICENSE": """
            MIT License

            Copyright (c) 2024 The authors
        """,
        "train.py": _TRAIN,
    },
)
def no_license(project):
    result = checklist(project)
    stated = result is not None and result.item("license").ticked  # a file, or the README's License section
    if not stated and not any("/" not in rel and LICENSE_FILES.match(rel) for rel in project.all_paths):
        yield Hit(WHOLE_REPOSITORY, 1, "the repository has no LICENSE file at its root")


_extra("RPL609", "readme-no-citation", "citation", "No BibTeX entry in the README and no CITATION.cff",
       "A citation block tells users how to credit the work, and pins which paper the code belongs to.",
       "Add a BibTeX block to the README, or a CITATION.cff at the root (GitHub shows it).",
       "the README has no BibTeX entry and the repository no CITATION.cff", when=_has_paper,
       example={
           "README.md": """
               # Linear probe on CIFAR-10

               Code for [Linear Probes Revisited](https://arxiv.org/abs/2401.00001).

               ## Training

               ```train
               python train.py --lr 0.1
               ```
           """,
           "train.py": _TRAIN,
       },
       use_instead={
           "README.md": """
               # Linear probe on CIFAR-10

               Code for [Linear Probes Revisited](https://arxiv.org/abs/2401.00001).

               ## Training

               ```train
               python train.py --lr 0.1
               ```

               ## Citation

               ```bibtex
               @inproceedings{probe2024,
                 title = {Linear Probes Revisited},
               }
               ```
           """,
           "train.py": _TRAIN,
       })
_extra("RPL610", "readme-no-hardware", "hardware", "The README does not say on which hardware and for how long "
       "the results were produced",
       "Batch sizes, mixed precision and run time depend on the GPUs: a reader needs both to plan and to compare.",
       "Add a line such as `Trained on 8 V100 GPUs for 3 days` next to the training command.",
       "the README does not say which GPUs (or other hardware) and how long the runs took", when=_reports_results,
       example={
           "README.md": """
               # Linear probe on CIFAR-10

               ## Training

               ```train
               python train.py --lr 0.1
               ```

               ## Results

               | Model  | Accuracy |
               |--------|----------|
               | Linear | 39.4 %   |
           """,
           "train.py": _TRAIN,
       },
       use_instead={
           "README.md": """
               # Linear probe on CIFAR-10

               ## Training

               ```train
               python train.py --lr 0.1
               ```

               ## Results

               | Model  | Accuracy |
               |--------|----------|
               | Linear | 39.4 %   |

               Training takes 10 minutes on one A100 GPU.
           """,
           "train.py": _TRAIN,
       })
_extra("RPL611", "readme-no-data-instructions", "data", "The README does not say where to get the data",
       "The data and its version are half of a result: a reader without them reproduces nothing.",
       "Add a data section that links the dataset (and the version or split files) or gives the download command.",
       "the README gives no link or download command for the data", when=_runs_experiments, shown_by_code=True,
       example={
           "README.md": """
               # Linear probe on CIFAR-10

               ## Training

               ```train
               python train.py --lr 0.1
               ```
           """,
           "train.py": _TRAIN,
       },
       use_instead={
           "README.md": """
               # Linear probe on CIFAR-10

               ## Training

               ```train
               python train.py --lr 0.1
               ```

               ## Data

               Download CIFAR-10 into `data/`:

               ```bash
               wget https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz
               ```
           """,
           "train.py": _TRAIN,
       })


@rule(
    code="RPL612", name="readme-missing-file", area="Documentation", severity=Severity.ERROR,
    summary="A README command names a script, module or file the repository does not have",
    why="""
        A command that fails at once is the first thing a reader tries. It usually means a file was renamed or
        never committed, and the README was not updated.
    """,
    fix="Commit the file, or correct the command to the file's current name.",
    example={
        "README.md": """
            # Linear probe on CIFAR-10

            ```train
            python train_probe.py --lr 0.1
            ```
        """,
        "train.py": _TRAIN,
    },
    use_instead={
        "README.md": """
            # Linear probe on CIFAR-10

            ```train
            python train.py --lr 0.1
            ```
        """,
        "train.py": _TRAIN,
    },
)
def readme_missing_file(project):
    result = checklist(project)
    if result is None:
        return
    seen = set()
    for command, path in result.missing:
        if (command.path, command.line, path) not in seen:
            seen.add((command.path, command.line, path))
            yield Hit(command.path, command.line, f"`{command.text}` names {path}, which is not in the repository")


@rule(
    code="RPL613", name="readme-unknown-flag", area="Documentation", severity=Severity.ERROR,
    summary="A README command passes a flag the script's argparse, click or absl interface does not declare",
    why="""
        The script stops with "unrecognized arguments": the flag was renamed or removed and the README kept the
        old recipe, so the documented command no longer produces the documented results.
    """,
    fix="Update the command to the script's current flags (`python script.py --help` lists them).",
    example={
        "README.md": """
            # Linear probe on CIFAR-10

            ```train
            python train.py --learning-rate 0.1
            ```
        """,
        "train.py": _TRAIN,
    },
    use_instead={
        "README.md": """
            # Linear probe on CIFAR-10

            ```train
            python train.py --lr 0.1
            ```
        """,
        "train.py": _TRAIN,
    },
)
def readme_unknown_flag(project):
    result = checklist(project)
    if result is None:
        return
    for run in result.runs:
        if not run.resolved or not run.resolved.endswith(".py") or run.resolved not in project.files or \
                run.command.tag == INLINE:
            continue
        interface = interface_of(project, run.resolved)
        if interface is None:
            continue
        unknown = [flag for flag in dict.fromkeys(a.split("=", 1)[0] for a in run.arguments)
                   if flag.startswith("-") and flag != "-" and not flag[1:2].isdigit() and not interface.accepts(flag)]
        if unknown:  # one finding per command: its unknown flags share one cause
            named = ", ".join(f"{flag}{_did_you_mean(flag, interface.options)}" for flag in unknown)
            options = "option" if len(unknown) == 1 else "options"
            yield Hit(run.command.path, run.command.line,
                      f"{run.resolved} declares no {named} {options}: `{run.command.text}` would stop with "
                      f"\"unrecognized arguments\"")


def _did_you_mean(flag: str, options: set) -> str:
    close = difflib.get_close_matches(flag, sorted(options), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


@rule(
    code="RPL614", name="readme-defunct-link", area="Documentation", severity=Severity.INFO,
    summary="The README links Papers with Code, which was shut down in July 2025",
    why="""
        paperswithcode.com pages now redirect elsewhere: a badge or a leaderboard link no longer leads a reader to
        the paper, the task or the results it stood for, and is no evidence of them.
    """,
    fix="""
        Link the paper itself (arXiv, DOI, proceedings) and put the results in the README as a table; drop the
        badge or point it at the paper's Hugging Face Papers page.
    """,
    example={
        "README.md": """
            # Linear probe on CIFAR-10

            [State of the art](https://paperswithcode.com/sota/image-classification-on-cifar-10)
        """,
    },
    use_instead={
        "README.md": """
            # Linear probe on CIFAR-10

            Code for [Linear Probes Revisited](https://arxiv.org/abs/2401.00001).
        """,
    },
)
def readme_defunct_link(project):
    result = checklist(project)
    for link in result.defunct if result else ():
        yield Hit(link.path, link.line, f"links {link.text}, a Papers with Code page: the site was shut down in "
                                        "July 2025 and the link no longer leads to the paper or its results")
