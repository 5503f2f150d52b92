"""`python -m cli`: the `famulus` command."""

import sys

from cli.main import main

sys.exit(main())
