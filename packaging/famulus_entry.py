"""The packaged app's entry point: the `famulus` command, as pip installs it."""

import sys

from cli.main import main

if __name__ == "__main__":
    sys.exit(main())
