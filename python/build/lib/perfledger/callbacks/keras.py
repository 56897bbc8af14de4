"""The Keras 3 callback: saves a checkpoint at the end of each epoch and registers it.

    from perfledger.callbacks.keras import PerfledgerCallback

    ledger = PerfledgerCallback("ckpt/epoch-{epoch}.weights.h5", license=1, datasets=[4], code=5, metric=2)
    model.fit(x, y, validation_data=(xv, yv), epochs=10, callbacks=[ledger])

``filepath`` is formatted with ``epoch`` (from 1) and the epoch's logs, like Keras's own
``ModelCheckpoint``; a name ending in ``.weights.h5`` saves the weights, anything else the whole
model (``.keras``). The evaluation metric recorded is ``monitor`` from the epoch's logs
(``val_loss`` by default). The rest of the arguments are :class:`~perfledger.callbacks.Run`'s.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import keras

from .run import Run

__all__ = ["PerfledgerCallback"]

log = logging.getLogger("perfledger")


class PerfledgerCallback(keras.callbacks.Callback):
    """Registers each epoch's checkpoint and records ``monitor`` (see the module's docs)."""

    def __init__(self, filepath: str, *, monitor: str = "val_loss", every: int = 1, **run: Any):
        super().__init__()
        self.filepath = filepath
        self.monitor = monitor
        self.every = every
        self.run = Run(**run)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if (epoch + 1) % self.every:
            return
        logs = logs or {}
        path = self.filepath.format(epoch=epoch + 1, **logs)
        try:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            if path.endswith(".weights.h5"):
                self.model.save_weights(path, overwrite=True)
            else:
                self.model.save(path, overwrite=True)
            self.run.checkpoint(path, epoch + 1)
            if self.monitor in logs:
                self.run.evaluation(logs[self.monitor], epoch + 1)
        except Exception:  # the ledger never stops a training run
            log.exception("perfledger: epoch %d's checkpoint was not queued", epoch + 1)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        self.run.finish()
