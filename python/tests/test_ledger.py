"""The core API end to end against a real development node: register a dataset, a checkpoint
trained on it (from memory and from its file) and an evaluation; read lineage and pedigree back;
verify; refusals raise exceptions that name the pallet error, and change nothing; the outbox
survives a chain that cannot be reached and never registers twice."""

import os
import tempfile
import unittest

import numpy
from safetensors.numpy import save_file

import perfledger
from perfledger import ChainError, Outbox, Ref, TransactionRefused, VerificationFailed
from support import consortium


class CoreApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = consortium()
        cls.dir = tempfile.TemporaryDirectory()
        os.environ["PERFLEDGER_HOME"] = os.path.join(cls.dir.name, "home")

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def path(self, *parts):
        path = os.path.join(self.dir.name, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def next_artifact(self):
        return int(self.c.dave.substrate.query("Attribution", "NextArtifactId").value)

    def test_a_dataset_a_checkpoint_and_an_evaluation_their_lineage_pedigree_and_verification(self):
        dave, license = self.c.dave, self.c.open_license
        with open(self.path("readings", "sites", "rotterdam.csv"), "w") as f:
            f.write("temp,label\n4.1,ok\n9.7,warm\n")
        dataset = dave.register(self.path("readings"), kind="dataset", license=license)
        self.assertFalse(dataset.already)
        self.assertTrue(dave.artifact(dataset.id).uri.startswith("ipfs://bafy"))

        # A checkpoint registered from memory is the same artifact as its safetensors file.
        weights = {"layer.0.weight": numpy.array([[0.5, -0.25], [1.0, 2.0]], dtype=numpy.float32),
                   "layer.0.bias": numpy.array([0.1, 0.2], dtype=numpy.float32)}
        save_file(weights, self.path("tuned.safetensors"), metadata={"epoch": "3"})
        checkpoint = dave.register(weights, kind="checkpoint", license=license, parents=[dataset.id],
                                   uri="ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")
        again = dave.register(self.path("tuned.safetensors"), kind="checkpoint", license=license, parents=[dataset.id])
        self.assertEqual((again.id, again.already), (checkpoint.id, True))

        with open(self.path("evaluation", "results.json"), "w") as f:
            f.write('{"accuracy": 0.93}')
        evaluation = dave.register(self.path("evaluation"), kind="evaluation", license=license, parents=[checkpoint.id])

        stored = dave.artifact(checkpoint.id)
        self.assertEqual((stored.kind, stored.digest, stored.parents), ("checkpoint", checkpoint.manifest.digest, (dataset.id,)))
        self.assertEqual(stored.contributor, perfledger.Signer("//Dave").address)
        self.assertEqual(dave.ancestors(evaluation.id), [(checkpoint.id, 1), (dataset.id, 2)])
        self.assertEqual(dave.descendants(dataset.id), [(checkpoint.id, 1), (evaluation.id, 2)])
        pedigree = dave.pedigree(checkpoint.id)
        self.assertEqual([p["artifact"].id for p in pedigree], [dataset.id])
        self.assertEqual(pedigree[0]["license"]["terms"]["training"], True)
        lineage = dave.lineage(checkpoint.id)
        self.assertEqual([a.id for a, _ in lineage["descendants"]], [evaluation.id])

        # Verification: the same weights pass; one changed value is named.
        self.assertEqual(dave.verify(self.path("tuned.safetensors"), checkpoint.id).digest, checkpoint.manifest.digest)
        weights["layer.0.bias"][1] = 0.25
        save_file(weights, self.path("tuned.safetensors"))
        with self.assertRaises(VerificationFailed) as failed:
            dave.verify(self.path("tuned.safetensors"), checkpoint.id)
        self.assertEqual(failed.exception.differences, ["tensor layer.0.bias changed"])

    def test_refusals_raise_exceptions_naming_the_error_and_change_nothing(self):
        dave = self.c.dave
        save_file({"w": numpy.ones(2, dtype=numpy.float32)}, self.path("closed.safetensors"))
        closed = dave.register(self.path("closed.safetensors"), kind="checkpoint", license=self.c.closed_license)
        save_file({"w": numpy.full(2, 3, dtype=numpy.float32)}, self.path("derived.safetensors"))
        before = self.next_artifact()
        with self.assertRaises(ChainError) as refused:
            dave.register(self.path("derived.safetensors"), kind="checkpoint", license=self.c.open_license, parents=[closed.id])
        error = refused.exception
        self.assertEqual((error.pallet, error.error, error.fields), ("Attribution", "DerivativeForbidden", {"parent": 0}))
        self.assertIn("forbid derivatives", str(error))
        with self.assertRaises(ChainError) as unknown:
            dave.register(self.path("derived.safetensors"), kind="checkpoint", license=self.c.open_license, parents=[10**9])
        self.assertEqual(unknown.exception.error, "UnknownParent")
        # An account without the role is stopped by the permissions gate before any block.
        ferdie = perfledger.Ledger(self.c.node.url, perfledger.Signer("//Ferdie"))
        with self.assertRaisesRegex(TransactionRefused, "permissions gate"):
            ferdie.register(self.path("derived.safetensors"), kind="checkpoint", license=self.c.open_license)
        ferdie.close()
        self.assertEqual(self.next_artifact(), before)

    def test_the_outbox_keeps_what_an_unreachable_chain_missed_and_never_registers_twice(self):
        journal = self.path("outbox", "run.jsonl")
        for step in (1, 2):
            save_file({"w": numpy.full(3, step, dtype=numpy.float32)}, self.path(f"run/step-{step}.safetensors"))
        # Offline: nothing is sent, everything stays in the journal.
        offline = Outbox(journal, url="ws://127.0.0.1:9", signer=perfledger.Signer("//Dave"))
        first = offline.register("run/1", self.path("run/step-1.safetensors"), kind="checkpoint", license=self.c.open_license)
        offline.register("run/2", self.path("run/step-2.safetensors"), kind="checkpoint", license=self.c.open_license, parents=[first])
        offline.record("run/eval/2", metric=self.c.metric, model=Ref("run/2"), amount=9312, scale=4)
        self.assertFalse(offline.close(timeout=3))
        self.assertEqual(offline.pending(), ["run/1", "run/2", "run/eval/2"])

        # Meanwhile the first checkpoint was registered by hand: as if a crash came after it
        # was sent but before the journal said so.
        by_hand = self.c.dave.register(self.path("run/step-1.safetensors"), kind="checkpoint", license=self.c.open_license)
        before = self.next_artifact()
        online = Outbox(journal, url=self.c.node.url, signer=perfledger.Signer("//Dave"))
        self.assertTrue(online.close(timeout=300), online.failed())
        ids = [online.id_of(k) for k in ("run/1", "run/2")]
        self.assertEqual(ids[0], by_hand.id)
        self.assertEqual(self.next_artifact(), before + 1, "only the second checkpoint was new")
        self.assertEqual(self.c.dave.artifact(ids[1]).parents, (ids[0],))
        record = self.c.dave.substrate.query("Records", "Records", [online.id_of("run/eval/2")]).value
        self.assertEqual((record["metric"], record["value"]), (self.c.metric, 9312))

        # Resumed once more: nothing is pending and nothing is sent.
        again = Outbox(journal, url=self.c.node.url, signer=perfledger.Signer("//Dave"))
        self.assertTrue(again.close(timeout=10))
        self.assertEqual(self.next_artifact(), before + 1)


if __name__ == "__main__":
    unittest.main()
