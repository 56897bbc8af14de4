"""Manifest digests and CIDs: the written rules, the real ``safetensors`` library's files, bounded
memory, and the same answers as the Rust client's ``perfledger model digest`` on the same files."""

import hashlib
import json
import os
import tempfile
import tracemalloc
import unittest

import numpy
from safetensors.numpy import save_file

from perfledger import ManifestError, cid, manifest
from support import client_digest


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Rules(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.root = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def write(self, relative, data):
        path = os.path.join(self.root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        return path

    def test_a_directory_digest_follows_the_written_rules_and_differences_are_named(self):
        self.write("sub/b.txt", b"bee")
        self.write("a.txt", b"ay")
        got = manifest.of(self.root)
        # Recomputed here from the rules, independently of the module.
        text = f'perfledger-manifest/1\nF\t"a.txt"\t2\t{sha(b"ay")}\nF\t"sub/b.txt"\t3\t{sha(b"bee")}\n'
        self.assertEqual(got.digest, sha(text.encode()))
        self.write("sub/b.txt", b"bea")
        self.write("c.txt", b"new")
        self.assertEqual(manifest.of(self.root).differences(got), ["sub/b.txt changed", "c.txt was not in the artifact"])
        # A single file's path is empty: its name is not part of its identity.
        single = manifest.of(os.path.join(self.root, "a.txt"))
        self.assertEqual(single.digest, sha(f'perfledger-manifest/1\nF\t""\t2\t{sha(b"ay")}\n'.encode()))

    def test_the_same_weights_keep_their_identity_whatever_the_safetensors_header_says(self):
        weights = {"w": numpy.arange(6, dtype=numpy.float32).reshape(2, 3), "bias": numpy.array([0.5], dtype=numpy.float16)}
        a, b = os.path.join(self.root, "a.safetensors"), os.path.join(self.root, "b.safetensors")
        save_file(weights, a, metadata={"epoch": "1"})
        save_file({"bias": weights["bias"], "w": weights["w"]}, b, metadata={"note": "saved again, other order"})
        ma, mb = manifest.of(a), manifest.of(b)
        self.assertEqual(ma.digest, mb.digest)
        self.assertEqual([(e.name, e.dtype, e.shape) for e in ma.entries], [("bias", "F16", (1,)), ("w", "F32", (2, 3))])
        # In memory: the same digest as the file, without writing it.
        self.assertEqual(manifest.of_tensors(weights).digest, ma.digest)
        # One changed value is named; the same bytes in another shape are another artifact.
        changed = dict(weights, bias=numpy.array([0.25], dtype=numpy.float16))
        self.assertEqual(manifest.of_tensors(changed).differences(ma), ["tensor bias changed"])
        self.assertNotEqual(manifest.of_tensors(dict(weights, w=weights["w"].reshape(3, 2))).digest, ma.digest)

    def test_a_broken_safetensors_file_is_refused_with_what_is_wrong(self):
        path = os.path.join(self.root, "m.safetensors")
        save_file({"w": numpy.zeros(2, dtype=numpy.float32)}, path)
        with open(path, "r+b") as handle:
            handle.truncate(os.path.getsize(path) - 1)
        with self.assertRaisesRegex(ManifestError, r"tensor w's data \(0\.\.8\) runs past the file"):
            manifest.of(path)
        os.symlink(path, os.path.join(self.root, "link"))
        with self.assertRaisesRegex(ManifestError, "is a symbolic link"):
            manifest.of(self.root)

    def test_hashing_reads_a_large_file_in_bounded_memory(self):
        path = os.path.join(self.root, "big.bin")
        size = 64 * 1024 * 1024
        with open(path, "wb") as handle:
            handle.truncate(size)
        tracemalloc.start()
        try:
            got = manifest.of(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertEqual(got.bytes, size)
        self.assertLess(peak, 4 * manifest.BUFFER, f"peak {peak} bytes while hashing {size}")

    def test_the_rust_client_computes_the_same_digests_and_cids(self):
        # Odd names (a quote, a tab, non-ASCII), nested directories, a safetensors file among
        # plain files, an empty file, and a file of several chunks and DAG levels for the CID.
        self.write('dir/odd "name"\twith tab.txt', b"odd")
        self.write("dir/ünïcødé/ß.csv", b"a,b\n1,2\n")
        self.write("dir/empty", b"")
        save_file({"layer.0.weight": numpy.linspace(-1, 1, 12, dtype=numpy.float32).reshape(3, 4)},
                  os.path.join(self.root, "dir/model.safetensors"), metadata={"x": "y"})
        big = self.write("big.bin", bytes(range(256)) * (4096 * 50 + 3))  # 50 MiB + 768 bytes
        for path in (os.path.join(self.root, "dir"), os.path.join(self.root, "dir/model.safetensors"), big):
            expected = client_digest(path)
            self.assertEqual(manifest.of(path).digest, expected["digest"], path)
            self.assertEqual(cid.of(path), expected["cid"], path)


class Cids(unittest.TestCase):
    def test_the_empty_file_has_the_well_known_cid(self):
        with tempfile.NamedTemporaryFile() as empty:
            self.assertEqual(cid.of(empty.name), "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")


class Json(unittest.TestCase):
    def test_a_saved_manifest_reads_back_equal(self):
        entries = [manifest.Entry("tensor", "m.safetensors", sha(b"x"), name="w", dtype="F32", shape=(2,)),
                   manifest.Entry("file", "a", sha(b"a"), size=1)]
        built = manifest.Manifest.of_entries(entries, 9)
        self.assertEqual(manifest.Manifest.from_json(json.loads(json.dumps(built.to_json()))), built)


if __name__ == "__main__":
    unittest.main()
