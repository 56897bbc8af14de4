"""What the tests share: the Rust client (for digests computed by the other implementation) and
one real development node, started once for every test that needs it and stopped at exit.

The binaries are found as ``scripts/test.sh`` builds them: ``$PERFLEDGER_CLIENT`` and
``$PERFLEDGER_NODE``, else ``$CARGO_TARGET_DIR/release`` (default
``~/.cache/perfledger/target/release``).
"""

import atexit
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.expanduser("~/.cache/perfledger/target")
CLIENT = os.environ.get("PERFLEDGER_CLIENT") or os.path.join(TARGET, "release", "perfledger")
NODE = os.environ.get("PERFLEDGER_NODE") or os.path.join(TARGET, "release", "perfledger-node")


def client_digest(path: str) -> dict:
    """``perfledger model digest PATH``: the Rust client's digest and CID."""
    if not os.access(CLIENT, os.X_OK):
        raise AssertionError(f"no perfledger client at {CLIENT}: build it (scripts/setup.sh --no-start)")
    out = subprocess.run([CLIENT, "model", "digest", path], capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise AssertionError(f"perfledger model digest {path}: {out.stderr}")
    fields = dict(line.split(" ", 1) for line in out.stdout.splitlines() if line.startswith(("digest ", "cid ")))
    return fields


# Fixed ports outside the ranges of tests/e2e (31000-42999), so that the two suites can run side
# by side; a port already taken fails the start with the node's own message.
RPC_PORT = int(os.environ.get("PERFLEDGER_PYTHON_RPC_PORT", "46944"))
P2P_PORT = int(os.environ.get("PERFLEDGER_PYTHON_P2P_PORT", "46333"))


class DevNode:
    """A single-validator ``--dev`` node in a temporary directory."""

    def __init__(self):
        if not os.access(NODE, os.X_OK):
            raise AssertionError(f"no node at {NODE}: build it (scripts/setup.sh --no-start)")
        self.base = tempfile.mkdtemp(prefix="perfledger-python-")
        self.rpc_port = RPC_PORT
        self.url = f"ws://127.0.0.1:{self.rpc_port}"
        self.log_path = os.path.join(self.base, "node.log")
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [NODE, "--dev", "--base-path", self.base, "--rpc-port", str(self.rpc_port),
             "--port", str(P2P_PORT), "--no-prometheus", "--no-telemetry"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        for _ in range(240):
            with open(self.log_path, "rb") as handle:
                text = handle.read()
            if b"Imported #1" in text:
                return
            if self.process.poll() is not None:
                raise AssertionError(f"the node exited: {text.decode(errors='replace')[-2000:]}")
            time.sleep(0.5)
        self.stop()
        raise AssertionError("the node made no block within 120 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        shutil.rmtree(self.base, ignore_errors=True)


_node = None


def dev_node() -> DevNode:
    """The shared development node (started on first use)."""
    global _node
    if _node is None:
        _node = DevNode()
        atexit.register(_node.stop)
        # Stopped from outside (scripts/test.sh cut short): stop the node as well.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return _node


class Consortium:
    """The development chain's consortium, ready for attribution: Acme's admin (``//Alice``)
    grants ``//Dave`` the ``ModelContributor`` role and defines an evaluation metric (accuracy,
    four decimals) that model contributors report; Dave registers an open license and one that
    forbids derivatives. Built once per test process, on the shared node."""

    def __init__(self):
        import perfledger

        self.node = dev_node()
        self.alice = perfledger.Ledger(self.node.url, perfledger.Signer("//Alice"))
        self.alice.submit("Permissions", "grant_role", {
            "who": perfledger.Signer("//Dave").address, "role": "ModelContributor",
            "scope": {"metrics": [[]], "region": None}, "expires_at": None,
        })
        self.metric = int(self.alice.substrate.query("Records", "NextMetricId").value)
        self.alice.submit("Records", "define_metric", {"spec": {
            "name": "Validation accuracy", "unit": "1", "value_type": {"Decimal": {"scale": 4}},
            "min": -10**12, "max": 10**12, "period_ms": 3_600_000, "reporters": [["ModelContributor"]],
            "device_only": False,
        }})
        self.dave = perfledger.Ledger(self.node.url, perfledger.Signer("//Dave"))
        self.open_license = self.dave.register_license(
            derivatives=True, training=True, commercial=True, document=hashlib.sha256(b"open").digest())
        self.closed_license = self.dave.register_license(
            derivatives=False, training=True, commercial=True, document=hashlib.sha256(b"closed").digest())


_consortium = None


def consortium() -> Consortium:
    global _consortium
    if _consortium is None:
        _consortium = Consortium()
    return _consortium
