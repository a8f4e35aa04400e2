"""``python -m megabackdoor``: same as the ``megabackdoor`` command."""

import sys

from .cli import main

sys.exit(main())
