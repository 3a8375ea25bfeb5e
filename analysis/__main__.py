"""``python -m analysis``: the wijkweefsel command line."""

import sys

from analysis.cli import main

sys.exit(main())
