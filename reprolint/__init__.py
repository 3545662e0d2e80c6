"""reprolint: find the reproducibility gaps in machine-learning repositories, without running them."""
__version__ = "0.1.0"
