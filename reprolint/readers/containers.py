"""Container definitions: the base images a Dockerfile or a Singularity/Apptainer definition builds from."""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(?P<image>\S+)(?:\s+AS\s+(?P<stage>\S+))?", re.I)
_ARG = re.compile(r"^\s*ARG\s+(?P<name>\w+)=(?P<value>\S+)", re.I)
_BOOTSTRAP_FROM = re.compile(r"^\s*From:\s*(?P<image>\S+)", re.I)
_BOOTSTRAP = re.compile(r"^\s*Bootstrap:\s*(docker|docker-daemon|oras|library|shub)\b", re.I | re.M)
_VARIABLE = re.compile(r"\$\{?(\w+)(?::?-[^}]*)?\}?")


class BaseImage(NamedTuple):
    line: int
    image: str  # as resolved: `pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime`
    name: str  # without tag and digest: `pytorch/pytorch`
    tag: Optional[str]  # None when the image has no tag
    digest: Optional[str]  # `sha256:...` when pinned by digest
    argument: Optional[str] = None  # the build argument whose default named the image (`ARG BASE=...`)


def base_images(text: str, dockerfile: bool) -> list:
    """The external images a definition builds from, with build arguments' defaults resolved; the stages of a
    multi-stage build, `scratch`, and images whose name a build argument without a default decides are left out."""
    found, stages, args = [], set(), {}
    if not dockerfile and not _BOOTSTRAP.search(text):
        return []
    for number, line in enumerate(text.split("\n"), 1):
        if dockerfile and (arg := _ARG.match(line)):
            args[arg.group("name")] = arg.group("value").strip("'\"")
            continue
        match = _FROM.match(line) if dockerfile else _BOOTSTRAP_FROM.match(line)
        if not match:
            continue
        written = match.group("image").strip("'\"")
        image = _VARIABLE.sub(lambda m: args.get(m.group(1), m.group(0)), written)
        if dockerfile and match.group("stage"):
            stages.add(match.group("stage").lower())
        if "$" in image or image.lower() in stages or image.lower() == "scratch":
            continue
        argument = _VARIABLE.search(written)
        found.append(_parsed(number, image)._replace(argument=argument.group(1) if argument else None))
    return found


def _parsed(line: int, image: str) -> BaseImage:
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else None
    if tag is not None:
        name = name[: -len(tag) - 1]
    return BaseImage(line, image, name, tag, digest or None)
