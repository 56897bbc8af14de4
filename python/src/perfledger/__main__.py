"""``python -m perfledger flush JOURNAL``: sends what a training run's outbox left."""

import sys

from .outbox import main

sys.exit(main())
