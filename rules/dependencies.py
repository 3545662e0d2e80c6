"""Dependencies (RPL3xx): what must be installed to run the code, and whether the repository says so."""
from reprolint.model import Hit, Severity, rule

# Manifests (as discovery classifies them) that declare no packages: the Python version, or a container image.
NOT_DEPENDENCY_LISTS = (".python-version", "runtime.txt")


def declares_dependencies(project) -> bool:
    """Whether any manifest lists dependencies; a pyproject.toml only when it has a dependency table."""
    for file in project.manifests:
        name = file.name.lower()
        if name == "pyproject.toml":
            data = file.facts.data or {}
            if "dependencies" in data.get("project", {}) or "poetry" in data.get("tool", {}) or \
                    "dependency-groups" in data:
                return True
        elif name not in NOT_DEPENDENCY_LISTS and not name.startswith("dockerfile"):
            return True
    return False


@rule(
    code="RPL301", name="no-dependency-manifest", area="Dependencies", severity=Severity.ERROR,
    summary="Third-party packages are imported but no file declares the dependencies",
    why="""
        Without a requirements file, an environment file or a pyproject.toml, a reader must guess which packages,
        and which versions of them, the results were produced with. The guess is rarely right.
    """,
    fix="""
        Declare what the code imports, with the versions you used: `pip freeze > requirements.txt` in the
        environment that produced the results (then trim it), a pyproject.toml, or a conda environment.yml.
    """,
)
def no_dependency_manifest(project):
    if declares_dependencies(project):
        return
    imports = {}
    for file, imp, top in project.third_party_imports():
        imports.setdefault(top, (file, imp))
    if imports:
        file, imp = min(imports.values(), key=lambda pair: (pair[0].rel, pair[1].line))
        names = ", ".join(sorted(imports)[:5]) + (", ..." if len(imports) > 5 else "")
        yield Hit(file.rel, imp.line,
                  f"the code imports third-party packages ({names}) but no requirements file, pyproject.toml "
                  f"dependencies or environment file declares them")
