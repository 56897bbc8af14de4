"""Training-framework callbacks: each saved checkpoint is registered with its parent (the run's
previous checkpoint, or the base model), the datasets and the code commit given once, and each
evaluation result becomes a ``records`` record on the model's evaluation metric.

* :mod:`perfledger.callbacks.keras` (``pip install ./python[keras]``),
* :mod:`perfledger.callbacks.transformers` (``[transformers]``),
* :mod:`perfledger.callbacks.lightning` (``[lightning]``).

Importing this package imports no framework: each module imports its own when it is imported.
What they share is :class:`Run`.
"""

from .run import Run

__all__ = ["Run"]
