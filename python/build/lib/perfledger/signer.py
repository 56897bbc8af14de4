"""Where the signing key comes from: a secret URI in an environment variable or in a private
keystore file, as for the ``perfledger`` client (``--key-env``, ``--keystore``). The secret is
never printed, logged or put in an exception's message; a :class:`Signer` shows its address
only."""

from __future__ import annotations

import os
import stat

from .errors import ConfigurationError

__all__ = ["Signer", "DEFAULT_ENV"]

#: The environment variable the client and this package read the secret URI from.
DEFAULT_ENV = "PERFLEDGER_SURI"


class Signer:
    """An sr25519 key pair, from a secret URI (a mnemonic or a hex seed, with optional
    ``//derivation``\\ s and ``///password``; ``//Alice`` on a development chain)."""

    def __init__(self, secret_uri: str, *, source: str = "the given secret URI"):
        from substrateinterface import Keypair, KeypairType

        try:
            self.keypair = Keypair.create_from_uri(secret_uri.strip(), crypto_type=KeypairType.SR25519, ss58_format=42)
        except Exception as error:  # the library's own errors may quote the input: never shown
            raise ConfigurationError(
                f"the secret URI in {source} is not a valid mnemonic, seed or derivation path "
                f"({type(error).__name__})"
            ) from None
        self.source = source

    @property
    def address(self) -> str:
        """The SS58 address (generic Substrate prefix 42)."""
        return self.keypair.ss58_address

    def __repr__(self) -> str:
        return f"Signer({self.address}, from {self.source})"

    @classmethod
    def from_env(cls, variable: str = DEFAULT_ENV) -> "Signer":
        """The key in the environment variable ``variable``."""
        secret = os.environ.get(variable)
        if not secret:
            raise ConfigurationError(
                f"no signing key: set the environment variable {variable} to the signer's secret URI, "
                "or give a keystore file"
            )
        return cls(secret, source=f"environment variable {variable}")

    @classmethod
    def from_keystore(cls, path: str | os.PathLike) -> "Signer":
        """The key in a keystore file holding the secret URI; the file must not be readable by
        the group or others (``chmod 600``)."""
        path = os.fspath(path)
        try:
            mode = os.stat(path).st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise ConfigurationError(
                    f"keystore {path} is readable by others (mode {stat.S_IMODE(mode):o}): chmod 600 {path}"
                )
            with open(path, encoding="utf-8") as handle:
                secret = handle.read()
        except OSError as error:
            raise ConfigurationError(f"cannot read keystore {path}: {error.strerror}") from None
        return cls(secret, source=f"keystore {path}")

    @classmethod
    def resolve(cls, signer: "Signer | str | os.PathLike | None") -> "Signer":
        """A signer from what a caller gave: a Signer, a keystore path, or nothing (the
        environment: ``PERFLEDGER_KEYSTORE`` if set, else ``PERFLEDGER_SURI``)."""
        if isinstance(signer, Signer):
            return signer
        if signer is not None:
            return cls.from_keystore(signer)
        keystore = os.environ.get("PERFLEDGER_KEYSTORE")
        return cls.from_keystore(keystore) if keystore else cls.from_env()
