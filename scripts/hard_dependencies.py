"""Rebuild reprolint/knowledge/transitive.py's HARD_DEPENDENCIES from wheels: what each distribution requires
whatever extras are chosen (its METADATA's Requires-Dist without an `extra` marker).

    pip download --no-deps --only-binary=:all: -d WHEELS torchvision hydra-core ...
    python scripts/hard_dependencies.py WHEELS

Reads the wheels as zip archives (nothing in them is run) and prints the table to paste, with the versions read.
"""
from __future__ import annotations

import re
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def hard_requirements(wheel: Path) -> tuple[str, str, list]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(name).decode("utf-8", "replace"))
    required = set()
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is None or "extra" not in str(requirement.marker):
            required.add(normalise(requirement.name))
    return normalise(metadata["Name"]), metadata["Version"], sorted(required)


def main() -> None:
    rows = sorted(hard_requirements(wheel) for wheel in Path(sys.argv[1]).glob("*.whl"))
    print("# Read from these wheels: " + ", ".join(f"{name} {version}" for name, version, _ in rows))
    print("HARD_DEPENDENCIES = {")
    for name, _, required in rows:
        print(f"    {name!r}: {tuple(required)!r},")
    print("}")


if __name__ == "__main__":
    main()
