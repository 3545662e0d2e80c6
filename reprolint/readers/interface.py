"""The command-line interface a script declares: its argparse, click or absl/TensorFlow flags, gathered from the
script and the repository modules it imports (a `get_args_parser()` in another file is common).

None means the interface cannot be known statically (typer, fire, Hydra overrides, HfArgumentParser, a flag name
computed at run time, `parse_known_args`, a configurator `exec`'d from a file that parses `--key=value` itself):
then no flag is reported as unknown.
"""
from __future__ import annotations

from typing import Optional

from reprolint.facts import Ref

# Libraries whose options come from signatures, dataclasses or configs: their flags are not literal strings.
_OPEN_INTERFACES = ("fire", "jsonargparse", "tyro", "simple_parsing", "docopt", "transformers.HfArgumentParser",
                    "lightning.pytorch.cli", "pytorch_lightning.cli", "lightning.pytorch.cli.LightningCLI",
                    "pytorch_lightning.utilities.cli", "clize", "plac", "defopt", "configargparse")
_ABSL_DEFINE = (".flags.DEFINE_", "absl.flags.DEFINE_", "tensorflow.flags.DEFINE_", "tensorflow.app.flags.DEFINE_",
                "tensorflow.compat.v1.flags.DEFINE_", "tensorflow.compat.v1.app.flags.DEFINE_")
_CONFIG_FLAGS = ("DEFINE_config_file", "DEFINE_config_dict", "DEFINE_config_dataclass")  # ml_collections
ABSL_BUILTIN_FLAGS = {f"--{f}" for f in ("logtostderr", "alsologtostderr", "log_dir", "v", "verbosity", "helpfull",
                                         "helpshort", "helpxml", "flagfile", "undefok", "only_check_args",
                                         "stderrthreshold", "showprefixforinfo", "run_with_pdb", "pdb_post_mortem",
                                         "run_with_profiling", "profile_file", "use_cprofile_for_profiling")}
HYDRA_OPTIONS = {"--config-path", "-cp", "--config-name", "-cn", "--config-dir", "-cd", "--multirun", "-m",
                 "--cfg", "-c", "--package", "-p", "--resolve", "--info", "-i", "--run", "-r", "--help", "-h",
                 "--hydra-help", "--version", "--shell-completion", "-sc", "--experimental-rerun"}


class Interface:
    def __init__(self, options: set, prefixes: set, hydra: bool):
        self.options = options  # every declared option string, `-h` and `--help` included
        self.prefixes = prefixes  # `--config.` of ml_collections: any `--config.x.y` override is valid
        self.hydra = hydra

    def accepts(self, flag: str) -> bool:
        if self.hydra:
            return flag in HYDRA_OPTIONS or flag in self.options
        if flag in self.options or any(flag.startswith(p) for p in self.prefixes):
            return True
        # argparse's allow_abbrev: an unambiguous prefix of a long option is accepted
        return flag.startswith("--") and len(flag) > 3 and any(o.startswith(flag) for o in self.options)


def interface_of(project, rel: str) -> Optional[Interface]:
    return project.shared(("interface", rel), lambda: _interface(project, rel))


def _interface(project, rel: str) -> Optional[Interface]:
    """The script's interface: what the script and the modules it imports declare, each file read once per run."""
    options = {"-h", "--help"}
    prefixes: set = set()
    declared = hydra = False
    for file in _closure(project, rel):
        found = project.shared(("interface-of-file", file.rel), lambda: _declared_in(file))
        if found is None:
            return None
        file_options, file_prefixes, file_hydra, file_declares = found
        options |= file_options
        prefixes |= file_prefixes
        hydra |= file_hydra
        declared |= file_declares
    if hydra:
        return Interface(options, prefixes, True)
    return Interface(options, prefixes, False) if declared else None


def _declared_in(file) -> Optional[tuple]:
    """(options, prefixes, hydra, declares anything) of one file, or None when its part cannot be known."""
    python = file.facts.python
    options: set = set()
    prefixes: set = set()
    declared = hydra = False
    if any(imp.module.startswith(_OPEN_INTERFACES) or f"{imp.module}.{imp.name}".startswith(_OPEN_INTERFACES)
           for imp in python.imports):
        return None
    if any(imp.module == "typer" for imp in python.imports):
        typer_options = _typer_options(file)
        if typer_options is None:
            return None
        options |= typer_options
        declared = True
    for call in python.calls:
        name = call.name
        last = name.rsplit(".", 1)[-1]
        if last == "parse_known_args" or name == "argparse.ArgumentParser" and call.kwargs.get("prefix_chars") or \
                name == "exec":
            return None  # unknown options are kept, or code run from a file (nanoGPT's configurator) reads them
        if name in ("hydra.main", "hydra.compose", "hydra.initialize"):
            hydra = True
        if last == "add_argument" or name in ("click.option", "click.argument", "click.Option"):
            strings = [a for a in call.args if isinstance(a, str)]
            if any(isinstance(a, Ref) for a in call.args) or "**" in call.kwargs:
                return None  # a flag computed at run time
            options.update(o for s in strings if s.startswith("-") for o in s.split("/"))  # click's --x/--no-x
            declared = True
        elif last in _CONFIG_FLAGS and "config_flags" in name:
            flag = call.args[0] if call.args else call.kwargs.get("name")
            if not isinstance(flag, str):
                return None
            options.add(f"--{flag}")
            prefixes.add(f"--{flag}.")
            declared = True
        elif name.startswith(_ABSL_DEFINE) or ".flags.DEFINE_" in name:
            flag = call.args[0] if call.args else call.kwargs.get("name")
            if not isinstance(flag, str):
                return None
            options.update({f"--{flag}", f"-{flag}"} | ABSL_BUILTIN_FLAGS)
            if "DEFINE_bool" in name:
                options.update({f"--no{flag}", f"-no{flag}"})
            declared = True
    return options, prefixes, hydra, declared


def _typer_options(file) -> Optional[set]:
    """`typer.run(main)`: each parameter of main is `--name-with-dashes` (and `--no-name` for a flag). A
    `typer.Typer()` app's commands are not resolved: None."""
    runs = [c for c in file.facts.python.calls if c.name == "typer.run"]
    if not runs or any(c.name == "typer.Typer" for c in file.facts.python.calls):
        return None
    options: set = set()
    for call in runs:
        target = call.args[0] if call.args else None
        function = file.facts.python.functions.get(target.text) if isinstance(target, Ref) else None
        if function is None:
            return None
        for parameter in function[1]:
            dashed = parameter.replace("_", "-")
            options |= {f"--{dashed}", f"--no-{dashed}"}
    return options


def _closure(project, rel: str) -> list:
    """The file and the repository modules it imports, transitively."""
    seen, pending = {rel}, [rel]
    while pending:
        for target in project.import_graph.get(pending.pop(), ()):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return [project.files[r] for r in sorted(seen) if r in project.files and project.files[r].facts.python]
