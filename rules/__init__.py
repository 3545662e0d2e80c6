"""The rules, one module per area; importing this package registers them all."""
from reprolint.rules import (  # noqa: F401
    dependencies, determinism, documentation, environment, general, hubs, hyperparameters, notebooks, paths, randomness,
)
