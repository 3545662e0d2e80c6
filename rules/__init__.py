"""The rules, one module per area; importing this package registers them all."""
from reprolint.rules import dependencies, documentation, general  # noqa: F401
