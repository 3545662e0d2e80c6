"""The wheel must carry every package of the source tree: setuptools is given an explicit list (the rules folder is
mapped onto reprolint.rules), and a package missing from it installs fine in editable mode yet breaks pre-commit."""
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_in_pyproject():
    setuptools = tomllib.loads((HERE / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(HERE).parts) for p in (HERE / "reprolint").rglob("__init__.py")}
    on_disk |= {"reprolint.rules"} if (HERE / "rules" / "__init__.py").exists() else set()
    assert set(setuptools["packages"]) == on_disk
