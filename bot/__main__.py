"""`python -m bot` is `lotse`."""

import sys

from bot.cli import main

sys.exit(main())
