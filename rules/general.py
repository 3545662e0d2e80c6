"""General (RPL0xx): findings about the analysis itself."""
from reprolint.model import Hit, Severity, rule

WHOLE_REPOSITORY = "."  # the path of findings about the repository as a whole


@rule(
    code="RPL001", name="unparsable-file", area="General", severity=Severity.ERROR,
    summary="A file that cannot be read or parsed",
    why="""
        A Python file with a syntax error, a notebook that is not valid JSON, or a manifest that does not parse is
        invisible to every other check, and usually just as broken for whoever tries to run or install the project.
    """,
    fix="Correct the file so that it parses (the message gives the first error), or exclude it if it is not used.",
    per_file=True,
    example="""
        import torch

        def train(model, loader)
            for x, y in loader:
                model(x).sum().backward()
    """,
    use_instead="""
        import torch

        def train(model, loader):
            for x, y in loader:
                model(x).sum().backward()
    """,
)
def unparsable_file(file, project):
    for error in file.facts.errors:
        yield Hit(file.rel, error.line, error.message, col=error.col)


@rule(
    code="RPL002", name="unused-suppression", area="General", severity=Severity.INFO,
    summary="A `reprolint: ignore` comment that suppresses nothing (with --show-unused-suppressions)",
    why="""
        A suppression outlives the finding it was written for; left in place it would silently hide the next,
        unrelated finding of that code on the same line.
    """,
    fix="Remove the comment, or correct the code it names.",
    example="""
        import torch

        torch.manual_seed(0)  # reprolint: ignore[RPL101]
        weights = torch.randn(10, 2)
    """,
    use_instead="""
        import torch

        torch.manual_seed(0)
        weights = torch.randn(10, 2)
    """,
)
def unused_suppression(project):
    return ()  # computed by the engine, which alone knows which suppressions were used
