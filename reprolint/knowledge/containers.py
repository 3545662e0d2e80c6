"""Container images, as data. Source: Docker's documentation of `FROM` (an image without a tag is `:latest`) and
the tagging policy of the Docker Official Images (docker-library/official-images: `python:3` and `python:3.12`
are shared tags that move to each new release; `python:3.12.4` moves only for rebuilds of that release; a digest
never moves)."""
from __future__ import annotations

import re

# Tags that move to new releases: Docker's default tag, branch names and release channels.
MOVING_IMAGE_TAGS = frozenset({"latest", "main", "master", "nightly", "stable", "edge", "rolling", "lts", "devel",
                               "dev", "current", "release"})
# A tag of a major version alone (`python:3`, `node:20-slim`, `golang:1`): it follows every minor release.
MAJOR_ONLY_TAG = re.compile(r"^v?\d+(-[a-z][\w.-]*)?$")
# The file names of Singularity / Apptainer definitions.
CONTAINER_DEFINITION = re.compile(r"^(singularity|apptainer)([-_.][\w.-]*)?(\.def)?$|\.(singularity|apptainer)$", re.I)
