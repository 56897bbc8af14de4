"""The package's exceptions. Every one is a :class:`PerfledgerError`; a refusal by the chain is
a :class:`ChainError` naming the pallet and its error, as polkadot.js shows them."""

from __future__ import annotations

from typing import Any, Mapping

__all__ = [
    "PerfledgerError",
    "ManifestError",
    "ConfigurationError",
    "ConnectionError",
    "TransactionRefused",
    "ChainError",
    "NotFound",
    "VerificationFailed",
]


class PerfledgerError(Exception):
    """Anything this package raises."""


class ManifestError(PerfledgerError):
    """A file or directory that cannot be hashed: unreadable, a symbolic link, a broken
    ``.safetensors`` file. The message names the file and what is wrong."""


class ConfigurationError(PerfledgerError):
    """A missing or unusable setting: no signer, a keystore that does not open, a bad URL."""


class ConnectionError(PerfledgerError):  # noqa: A001 - the package's own, a PerfledgerError
    """The node could not be reached, or the connection dropped."""


class TransactionRefused(PerfledgerError):
    """The node refused the transaction before it reached a block (the transaction pool's
    checks: the permissions gate, the nonce, the fee). Nothing was written.

    ``reason`` is the node's words; the message adds what to do.
    """

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


class ChainError(PerfledgerError):
    """A transaction that reached a block and failed: the pallet's error, by name.

    Attributes: ``pallet`` (``"Attribution"``), ``error`` (``"DerivativeForbidden"``),
    ``fields`` (the error's fields, ``{"parent": 0}``: the index of the parent that forbids it),
    ``docs`` (the error's documentation from the chain's metadata), ``block`` (the block's hash).
    A failed call changes no state.
    """

    def __init__(
        self,
        pallet: str,
        error: str,
        fields: Mapping[str, Any] | None = None,
        docs: str = "",
        block: str | None = None,
    ):
        self.pallet = pallet
        self.error = error
        self.fields = dict(fields or {})
        self.docs = docs
        self.block = block
        shown = f"{pallet}.{error}"
        if self.fields:
            shown += " { " + ", ".join(f"{k}: {v}" for k, v in self.fields.items()) + " }"
        super().__init__(f"{shown}: {docs}" if docs else shown)


class NotFound(PerfledgerError):
    """What was asked for is not on chain (an artifact id, a license, a digest)."""


class VerificationFailed(PerfledgerError):
    """A path that does not match the artifact it should be. ``differences`` names each file or
    tensor that changed, is missing or was not in the artifact (empty when only the digest is
    known)."""

    def __init__(self, message: str, differences: list[str]):
        super().__init__(message)
        self.differences = differences
