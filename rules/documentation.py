"""Documentation (RPL6xx): the README a reproduction starts from."""
from reprolint.model import Hit, Severity, rule
from reprolint.rules.general import WHOLE_REPOSITORY


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
)
def no_readme(project):
    readme = project.readme
    if readme is None or "/" in readme.rel:
        where = f" (only {readme.rel}, which is not at the root)" if readme else ""
        yield Hit(WHOLE_REPOSITORY, 1, f"no README at the root of the repository{where}")
