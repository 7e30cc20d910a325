"""The `tillit` command: Django's management commands with Tillit's settings (`tillit migrate`, `tillit demo-data`)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tillit", *sys.argv[1:]])


if __name__ == "__main__":
    main()
