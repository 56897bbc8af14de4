"""What every callback does, whatever the framework: a training run's checkpoints and
evaluations, queued in an :class:`~perfledger.outbox.Outbox`."""

from __future__ import annotations

import logging
import math
import os
import secrets
import time
from typing import Any, Iterable

from ..outbox import Outbox, Ref

__all__ = ["Run"]

log = logging.getLogger("perfledger")


def _home() -> str:
    return os.environ.get("PERFLEDGER_HOME") or os.path.join(os.path.expanduser("~"), ".perfledger")


class Run:
    """One training run on the ledger.

    ``license``: the license id every checkpoint comes under. ``datasets``, ``code`` and
    ``base`` (the model fine-tuned, if any): artifact ids given once, parents of every
    checkpoint. ``metric``: the ``records`` metric evaluation results are recorded on (none:
    evaluations are not recorded), scaled by 10^``scale`` to an integer. ``name``: the run's
    name in the journal (by default the time and a random suffix); a run restarted with the same
    name resumes its journal and sends nothing twice.

    The journal is ``$PERFLEDGER_HOME/outbox/<name>.jsonl`` unless ``journal`` is given;
    ``url`` and ``signer`` as for :class:`~perfledger.Ledger`. ``flush_timeout``: the seconds
    :meth:`finish` waits for the chain at the end of training (what is left stays in the
    journal for ``python -m perfledger flush``).
    """

    def __init__(
        self,
        *,
        license: int,
        datasets: Iterable[int] = (),
        code: int | None = None,
        base: int | None = None,
        metric: int | None = None,
        scale: int = 4,
        name: str | None = None,
        journal: str | os.PathLike | None = None,
        url: str | None = None,
        signer: Any = None,
        flush_timeout: float = 120.0,
        outbox: Outbox | None = None,
    ):
        self.name = name or time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)
        self.license = int(license)
        self.fixed_parents = [int(d) for d in datasets] + ([int(code)] if code is not None else [])
        self.base = base
        self.metric = metric
        self.scale = scale
        self.flush_timeout = flush_timeout
        journal = journal or os.path.join(_home(), "outbox", f"{self.name}.jsonl")
        self.outbox = outbox or Outbox(journal, url=url, signer=signer)
        self.last: Ref | None = None
        self.checkpoints: list[Ref] = []

    def checkpoint(self, path: str | os.PathLike, step: int | str) -> Ref:
        """Queues the checkpoint saved at ``path`` (a file or a directory) as this run's step
        ``step``; its parents are the previous checkpoint (or the base model), the datasets and
        the code."""
        previous: list[int | Ref] = [self.last] if self.last is not None else ([self.base] if self.base is not None else [])
        ref = self.outbox.register(
            f"{self.name}/checkpoint/{step}",
            path,
            kind="checkpoint",
            license=self.license,
            parents=previous + list(self.fixed_parents),
        )
        self.last = ref
        self.checkpoints.append(ref)
        return ref

    def evaluation(self, value: Any, step: int | str) -> Ref | None:
        """Queues an evaluation result of the latest checkpoint as a record on ``metric``;
        nothing if no metric was given, no checkpoint was saved yet, or the value is not a
        finite number."""
        if self.metric is None:
            return None
        if self.last is None:
            log.info("perfledger: evaluation at step %s not recorded: no checkpoint saved yet", step)
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            log.warning("perfledger: evaluation value %r is not a number: not recorded", value)
            return None
        if not math.isfinite(number):
            log.warning("perfledger: evaluation value %r is not finite: not recorded", number)
            return None
        return self.outbox.record(
            f"{self.name}/evaluation/{step}",
            metric=self.metric,
            model=self.last,
            amount=round(number * 10**self.scale),
            scale=self.scale,
        )

    def finish(self) -> bool:
        """Waits (at most ``flush_timeout`` seconds) for what is queued; never raises. Returns
        whether everything was sent."""
        try:
            done = self.outbox.flush(self.flush_timeout)
        except Exception:  # the training run must not fail because of the ledger
            log.exception("perfledger: flushing the outbox failed")
            return False
        left = self.outbox.pending()
        if left:
            log.warning(
                "perfledger: %d registrations not sent yet; they stay in %s: send them with "
                "`python -m perfledger flush %s`",
                len(left),
                self.outbox.journal,
                self.outbox.journal,
            )
        for key, why in self.outbox.failed().items():
            log.error("perfledger: %s was refused: %s", key, why)
        return done

    def ids(self) -> list[int | None]:
        """The artifact ids of the run's checkpoints, in order (``None`` while not sent)."""
        return [self.outbox.id_of(r) for r in self.checkpoints]
