#!/usr/bin/env python
"""Kinbridge's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinbridge.settings")
    from kinbridge.lib.env import ConfigError

    try:
        # Load the settings first so that a bad value stops here with one line.
        __import__(os.environ["DJANGO_SETTINGS_MODULE"])
    except ConfigError as exc:
        sys.exit(f"kinbridge: configuration error: {exc}")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
