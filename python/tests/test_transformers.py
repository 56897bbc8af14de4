"""The Hugging Face callback driven by a real ``transformers.Trainer`` (PyTorch on CPU) in a
tiny training run against the development node: every checkpoint directory the trainer saves is
registered with the previous checkpoint and the dataset as parents, and each evaluation's
``eval_loss`` is recorded about the checkpoint of its step."""

import os
import tempfile
import unittest

import numpy
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

import perfledger
from perfledger.callbacks.transformers import PerfledgerCallback
from support import consortium


class Tokens(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": torch.tensor(self.ids[i]), "labels": torch.tensor(self.labels[i])}


class TransformersCallback(unittest.TestCase):
    def test_a_trainer_run_registers_each_checkpoint_and_records_its_evaluation(self):
        c = consortium()
        torch.manual_seed(3)
        with tempfile.TemporaryDirectory() as work:
            os.environ["PERFLEDGER_HOME"] = os.path.join(work, "home")
            rng = numpy.random.default_rng(3)
            ids = rng.integers(1, 30, size=(48, 8))
            labels = (ids[:, 0] > 15).astype("int64")
            numpy.save(os.path.join(work, "tokens.npy"), ids)
            dataset = c.dave.register(os.path.join(work, "tokens.npy"), kind="dataset", license=c.open_license)

            config = BertConfig(vocab_size=32, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                intermediate_size=32, max_position_embeddings=16, num_labels=2)
            callback = PerfledgerCallback(license=c.open_license, datasets=[dataset.id], metric=c.metric,
                                          url=c.node.url, signer=perfledger.Signer("//Dave"), flush_timeout=300)
            args = TrainingArguments(output_dir=os.path.join(work, "out"), num_train_epochs=2, per_device_train_batch_size=8,
                                     eval_strategy="epoch", save_strategy="epoch", use_cpu=True, report_to=[],
                                     logging_strategy="no", disable_tqdm=True, seed=3)
            trainer = Trainer(model=BertForSequenceClassification(config), args=args,
                              train_dataset=Tokens(ids[:40], labels[:40]), eval_dataset=Tokens(ids[40:], labels[40:]),
                              callbacks=[callback])
            trainer.train()

            checkpoints = callback.run.ids()
            self.assertEqual(len(checkpoints), 2)
            self.assertNotIn(None, checkpoints, callback.run.outbox.failed())
            self.assertEqual(c.dave.artifact(checkpoints[0]).parents, (dataset.id,))
            self.assertEqual(c.dave.artifact(checkpoints[1]).parents, tuple(sorted((checkpoints[0], dataset.id))))
            evaluations = [e for e in trainer.state.log_history if "eval_loss" in e]
            self.assertEqual(len(evaluations), 2)
            for checkpoint, evaluation in zip(checkpoints, evaluations):
                step = evaluation["step"]
                c.dave.verify(os.path.join(work, "out", f"checkpoint-{step}"), checkpoint)
                record_id = callback.run.outbox.id_of(f"{callback.run.name}/evaluation/{step}")
                record = c.dave.substrate.query("Records", "Records", [record_id]).value
                self.assertEqual((record["metric"], record["value"]), (c.metric, round(evaluation["eval_loss"] * 10**4)))


if __name__ == "__main__":
    unittest.main()
