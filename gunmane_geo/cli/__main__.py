"""``python -m gunmane_geo.cli`` is the ``gunmane`` command."""
import sys

from . import main

sys.exit(main())
