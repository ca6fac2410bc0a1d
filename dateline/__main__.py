"""`python -m dateline` runs the command line."""

import sys

from dateline.cli import main

sys.exit(main())
