"""The Keras callback driven by Keras itself (the JAX backend, on CPU) in a real, tiny training
run against the development node: every epoch's checkpoint is registered with the previous one
and the dataset as parents, and each epoch's validation accuracy is a record on the evaluation
metric about that checkpoint."""

import os
import tempfile
import unittest

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy  # noqa: E402

import perfledger  # noqa: E402
from perfledger.callbacks.keras import PerfledgerCallback  # noqa: E402
from support import consortium  # noqa: E402


class KerasCallback(unittest.TestCase):
    def test_a_training_run_registers_each_epoch_and_records_its_validation_accuracy(self):
        c = consortium()
        with tempfile.TemporaryDirectory() as work:
            os.environ["PERFLEDGER_HOME"] = os.path.join(work, "home")
            rng = numpy.random.default_rng(7)
            x = rng.normal(size=(256, 4)).astype("float32")
            y = (x.sum(axis=1) > 0).astype("float32")
            numpy.save(os.path.join(work, "x.npy"), x)
            dataset = c.dave.register(os.path.join(work, "x.npy"), kind="dataset", license=c.open_license)

            model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            callback = PerfledgerCallback(
                os.path.join(work, "ckpt", "epoch-{epoch}.weights.h5"),
                monitor="val_accuracy",
                license=c.open_license,
                datasets=[dataset.id],
                metric=c.metric,
                url=c.node.url,
                signer=perfledger.Signer("//Dave"),
                flush_timeout=300,
            )
            history = model.fit(x[:200], y[:200], validation_data=(x[200:], y[200:]), epochs=3, batch_size=32, verbose=0, callbacks=[callback])

            ids = callback.run.ids()
            self.assertEqual(len(ids), 3)
            self.assertNotIn(None, ids, callback.run.outbox.failed())
            self.assertEqual(c.dave.artifact(ids[0]).parents, (dataset.id,))
            for previous, current in zip(ids, ids[1:]):
                self.assertEqual(c.dave.artifact(current).parents, tuple(sorted((previous, dataset.id))))
            for epoch, checkpoint in enumerate(ids, 1):
                c.dave.verify(os.path.join(work, "ckpt", f"epoch-{epoch}.weights.h5"), checkpoint)
                record_id = callback.run.outbox.id_of(f"{callback.run.name}/evaluation/{epoch}")
                record = c.dave.substrate.query("Records", "Records", [record_id]).value
                expected = round(history.history["val_accuracy"][epoch - 1] * 10**4)
                self.assertEqual((record["metric"], record["value"]), (c.metric, expected))
            self.assertEqual({a for a, _ in c.dave.ancestors(ids[-1])}, {ids[0], ids[1], dataset.id})


if __name__ == "__main__":
    unittest.main()
