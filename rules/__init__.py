"""The rules, one module per area; importing this package registers them all."""
from reprolint.rules import (dependencies, determinism, documentation, environment, general,  # noqa: F401
                             hyperparameters, randomness)
