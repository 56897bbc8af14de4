"""Perfledger from Python: anchor datasets, checkpoints and evaluations on the Perfledger chain.

    import perfledger

    ledger = perfledger.Ledger("ws://127.0.0.1:9944")          # signer: $PERFLEDGER_SURI
    data = ledger.register("data/", kind="dataset", license=1)
    model = ledger.register(model.state_dict(), kind="checkpoint", license=1,
                            parents=[data.id], uri="ipfs://…")
    ledger.pedigree(model.id)

Digests are those of ``perfledger model commit`` (:mod:`perfledger.manifest`); the framework
callbacks are in :mod:`perfledger.callbacks`. Importing this package imports no ML framework.
"""

from .errors import (
    ChainError,
    ConfigurationError,
    ConnectionError,
    ManifestError,
    NotFound,
    PerfledgerError,
    TransactionRefused,
    VerificationFailed,
)
from .manifest import Manifest
from .outbox import Outbox, Ref
from .signer import Signer

__version__ = "0.1.0"


def __getattr__(name: str):
    # The chain client imports substrate-interface: only when it is used.
    if name in ("Ledger", "Artifact", "Registered", "model_subject"):
        from . import ledger

        return getattr(ledger, name)
    raise AttributeError(f"module 'perfledger' has no attribute {name!r}")


__all__ = [
    "Ledger",
    "Artifact",
    "Registered",
    "Manifest",
    "Outbox",
    "Ref",
    "Signer",
    "model_subject",
    "PerfledgerError",
    "ChainError",
    "ConfigurationError",
    "ConnectionError",
    "ManifestError",
    "NotFound",
    "TransactionRefused",
    "VerificationFailed",
]
