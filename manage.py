#!/usr/bin/env python
"""Django's command line; `.venv/bin/safehold` is the same thing under Safehold's name."""

from safehold.cli import main

if __name__ == "__main__":
    main()
