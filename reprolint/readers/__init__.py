"""Readers: what a manifest, a setup.py, a README or a script's command-line interface says, read without running it."""
