"""The Lightning callback driven by a real ``lightning.Trainer`` (PyTorch on CPU) in a tiny
training run against the development node: a checkpoint per validation, registered with the
previous one and the dataset as parents, and ``val_loss`` recorded about it."""

import os
import tempfile
import unittest

import lightning
import numpy
import torch

import perfledger
from perfledger.callbacks.lightning import PerfledgerCallback
from support import consortium


class Regression(lightning.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(3, 1)

    def training_step(self, batch, _):
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def validation_step(self, batch, _):
        x, y = batch
        self.log("val_loss", torch.nn.functional.mse_loss(self.layer(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


class Seen(lightning.Callback):
    """The validation loss Lightning reports after each validation (sanity check excluded)."""

    def __init__(self):
        self.losses = []

    def on_validation_end(self, trainer, pl_module):
        if not trainer.sanity_checking:
            self.losses.append(float(trainer.callback_metrics["val_loss"]))


class LightningCallback(unittest.TestCase):
    def test_a_lightning_run_registers_a_checkpoint_per_validation_and_records_val_loss(self):
        c = consortium()
        torch.manual_seed(5)
        with tempfile.TemporaryDirectory() as work:
            os.environ["PERFLEDGER_HOME"] = os.path.join(work, "home")
            x = torch.randn(64, 3)
            y = x @ torch.tensor([[1.0], [-2.0], [0.5]])
            numpy.save(os.path.join(work, "xy.npy"), torch.cat([x, y], 1).numpy())
            dataset = c.dave.register(os.path.join(work, "xy.npy"), kind="dataset", license=c.open_license)
            loader = lambda a, b: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(a, b), batch_size=16)  # noqa: E731
            callback = PerfledgerCallback(os.path.join(work, "ckpt"), license=c.open_license, datasets=[dataset.id],
                                          metric=c.metric, url=c.node.url, signer=perfledger.Signer("//Dave"), flush_timeout=300)
            seen = Seen()
            trainer = lightning.Trainer(max_epochs=2, accelerator="cpu", logger=False, enable_checkpointing=False,
                                        enable_progress_bar=False, enable_model_summary=False, callbacks=[callback, seen],
                                        default_root_dir=work)
            trainer.fit(Regression(), loader(x[:48], y[:48]), loader(x[48:], y[48:]))

            checkpoints = callback.run.ids()
            self.assertEqual(len(checkpoints), 2)
            self.assertNotIn(None, checkpoints, callback.run.outbox.failed())
            self.assertEqual(c.dave.artifact(checkpoints[0]).parents, (dataset.id,))
            self.assertEqual(c.dave.artifact(checkpoints[1]).parents, tuple(sorted((checkpoints[0], dataset.id))))
            files = sorted(f for f in os.listdir(os.path.join(work, "ckpt")) if f.endswith(".ckpt"))
            self.assertEqual(len(files), 2)
            for step, checkpoint, loss in zip((3, 6), checkpoints, seen.losses):
                c.dave.verify(os.path.join(work, "ckpt", f"epoch={step // 3 - 1}-step={step}.ckpt"), checkpoint)
                record_id = callback.run.outbox.id_of(f"{callback.run.name}/evaluation/{step}")
                record = c.dave.substrate.query("Records", "Records", [record_id]).value
                self.assertEqual((record["metric"], record["value"]), (c.metric, round(loss * 10**4)))


if __name__ == "__main__":
    unittest.main()
