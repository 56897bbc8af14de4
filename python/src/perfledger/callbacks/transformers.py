"""The Hugging Face ``transformers`` callback: registers every checkpoint the ``Trainer`` saves
and records its evaluations.

    from perfledger.callbacks.transformers import PerfledgerCallback

    trainer = Trainer(..., callbacks=[PerfledgerCallback(license=1, datasets=[4], code=5, metric=2)])

Each ``checkpoint-<step>`` directory the trainer writes is registered (its whole content: weights,
optimizer and trainer state) once written; ``monitor`` (``eval_loss`` by default) of each
evaluation is recorded about the checkpoint of the same step (an evaluation at a step with no
checkpoint is not recorded: it measured weights nobody registered). Only the main process registers. The rest of
the arguments are :class:`~perfledger.callbacks.Run`'s.

A checkpoint is hashed in the background: with ``save_total_limit`` the trainer may delete an
old checkpoint before it is hashed, which is then logged as refused, not registered.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from transformers import TrainerCallback

from .run import Run

__all__ = ["PerfledgerCallback"]

log = logging.getLogger("perfledger")


class PerfledgerCallback(TrainerCallback):
    """Registers the trainer's checkpoints and records ``monitor`` (see the module's docs)."""

    def __init__(self, *, monitor: str = "eval_loss", **run: Any):
        self.monitor = monitor
        self.run = Run(**run)
        # The trainer evaluates, then saves, at the same step: an evaluation waits for the
        # checkpoint of its step, so that it is recorded about the weights it measured.
        self.waiting: tuple[int, Any] | None = None
        self.saved_step: int | None = None

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        path = os.path.join(args.output_dir, f"checkpoint-{state.global_step}")
        try:
            self.run.checkpoint(path, state.global_step)
            self.saved_step = state.global_step
            if self.waiting is not None and self.waiting[0] == state.global_step:
                self.run.evaluation(self.waiting[1], state.global_step)
            self.waiting = None
        except Exception:  # the ledger never stops a training run
            log.exception("perfledger: checkpoint %s was not queued", path)

    def on_evaluate(self, args: Any, state: Any, control: Any, metrics: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not metrics or self.monitor not in metrics:
            return
        try:
            if self.saved_step == state.global_step:
                self.run.evaluation(metrics[self.monitor], state.global_step)
            else:
                self.waiting = (state.global_step, metrics[self.monitor])
        except Exception:
            log.exception("perfledger: evaluation at step %d was not queued", state.global_step)

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.is_world_process_zero:
            self.run.finish()
