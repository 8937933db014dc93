#!/usr/bin/env python3
"""Build the dossier's site: `python build.py --help`."""

from dossier.cli import run

if __name__ == "__main__":
    run()
