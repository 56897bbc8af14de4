"""The Lightning callback: saves a checkpoint after each validation (or each training epoch when
there is none) and registers it, with the validation metric recorded about it.

    from perfledger.callbacks.lightning import PerfledgerCallback

    trainer = lightning.Trainer(callbacks=[PerfledgerCallback("ckpt", license=1, datasets=[4], metric=2)])

Checkpoints are written by ``trainer.save_checkpoint`` as ``<dirpath>/epoch=<n>-step=<s>.ckpt``
(Lightning's own ``ModelCheckpoint`` may run beside it; this one saves what it registers, so
that the file registered is the file kept). ``monitor`` (``val_loss`` by default) is read from
``trainer.callback_metrics``. Only the global-zero process registers. The rest of the arguments
are :class:`~perfledger.callbacks.Run`'s.
"""

from __future__ import annotations

import logging
import os
from typing import Any

try:  # the unified package, or the standalone one
    from lightning.pytorch import Callback
except ImportError:  # pragma: no cover - depends on which one is installed
    from pytorch_lightning import Callback

from .run import Run

__all__ = ["PerfledgerCallback"]

log = logging.getLogger("perfledger")


class PerfledgerCallback(Callback):
    """Registers a checkpoint per validation and records ``monitor`` (see the module's docs)."""

    def __init__(self, dirpath: str | os.PathLike, *, monitor: str = "val_loss", **run: Any):
        super().__init__()
        self.dirpath = os.fspath(dirpath)
        self.monitor = monitor
        self.run = Run(**run)
        self._saved_at: int | None = None

    def _save(self, trainer: Any) -> None:
        if trainer.sanity_checking or self._saved_at == trainer.global_step:
            return
        path = os.path.join(self.dirpath, f"epoch={trainer.current_epoch}-step={trainer.global_step}.ckpt")
        trainer.save_checkpoint(path)
        self._saved_at = trainer.global_step
        if not trainer.is_global_zero:
            return
        try:
            self.run.checkpoint(path, trainer.global_step)
            value = trainer.callback_metrics.get(self.monitor)
            if value is not None:
                self.run.evaluation(float(value), trainer.global_step)
        except Exception:  # the ledger never stops a training run
            log.exception("perfledger: checkpoint %s was not queued", path)

    def on_validation_end(self, trainer: Any, pl_module: Any) -> None:
        self._save(trainer)

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        if not trainer.val_dataloaders and getattr(trainer, "num_val_batches", None) in (None, [], 0, [0]):
            self._save(trainer)

    def on_train_end(self, trainer: Any, pl_module: Any) -> None:
        if trainer.is_global_zero:
            self.run.finish()
