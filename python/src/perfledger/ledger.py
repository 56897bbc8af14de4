"""The chain: registering artifacts and licenses, reading lineage and pedigree, verifying a path
against an artifact, royalties, and records. Talks to a Perfledger node over its JSON-RPC
WebSocket with ``substrate-interface``, from the chain's own metadata (no types are written
here but the runtime APIs' few plain ones).

One :class:`Ledger` is one connection; it is not shared between threads (the callbacks'
:class:`~perfledger.outbox.Outbox` opens its own in its worker thread).
"""

from __future__ import annotations

import json
import os
import struct
import time
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from . import cid as cid_module
from . import manifest as manifest_module
from .errors import (
    ChainError,
    ConfigurationError,
    ConnectionError,
    NotFound,
    TransactionRefused,
    VerificationFailed,
)
from .manifest import Manifest
from .signer import Signer

__all__ = ["Ledger", "Artifact", "Registered", "KINDS", "model_subject", "manifest_store"]

#: The kinds of artifact, as the client's ``--kind`` names them.
KINDS = ("dataset", "checkpoint", "code", "config", "evaluation")
#: The URL used when none is given and ``PERFLEDGER_URL`` is unset.
DEFAULT_URL = "ws://127.0.0.1:9944"
#: Blocks a submitted transaction may take to be included before the wait gives up (a mortal
#: transaction is dead after its era anyway).
ERA_BLOCKS = 64
#: Seconds without a new block after which a wait for inclusion reports the chain stalled.
STALL_SECONDS = 120


def model_subject(model: int) -> str:
    """The ``records`` subject of a model's evaluation records (what milestones watch)."""
    return f"artifact:{model}"


def manifest_store() -> str:
    """Where manifests are kept by digest so that verification names what changed:
    ``$PERFLEDGER_HOME/manifests`` or ``~/.perfledger/manifests`` (the client's place)."""
    home = os.environ.get("PERFLEDGER_HOME") or os.path.join(os.path.expanduser("~"), ".perfledger")
    return os.path.join(home, "manifests")


def _text(value: Any) -> str:
    if isinstance(value, str) and value.startswith("0x"):
        try:
            return bytes.fromhex(value[2:]).decode()
        except (ValueError, UnicodeDecodeError):
            return value
    return value if isinstance(value, str) else bytes(value).decode()


@dataclass(frozen=True)
class Artifact:
    """An artifact as the chain holds it."""

    id: int
    kind: str
    digest: str
    uri: str
    contributor: str
    organization: int
    license: int
    parents: tuple[int, ...]
    registered_at: int
    time: int
    depth: int

    @classmethod
    def from_chain(cls, id: int, value: Mapping[str, Any]) -> "Artifact":
        kind = value["kind"]
        kind = kind if isinstance(kind, str) else next(iter(kind))
        return cls(
            id=id,
            kind=kind.lower(),
            digest=value["digest"].removeprefix("0x"),
            uri=_text(value["uri"]),
            contributor=value["contributor"],
            organization=int(value["organization"]),
            license=int(value["license"]),
            parents=tuple(int(p) for p in value["parents"]),
            registered_at=int(value["registered_at"]),
            time=int(value["time"]),
            depth=int(value["depth"]),
        )


@dataclass(frozen=True)
class Registered:
    """What a registration did: the artifact's id, its manifest, its URI and the block."""

    id: int
    manifest: Manifest
    uri: str
    block: str | None
    already: bool = False


class Ledger:
    """A connection to a Perfledger node, signing with ``signer``.

    ``url`` defaults to ``$PERFLEDGER_URL`` or ``ws://127.0.0.1:9944``; ``signer`` to the
    keystore named by ``$PERFLEDGER_KEYSTORE`` or the secret URI in ``$PERFLEDGER_SURI``
    (read when the first transaction is signed: reading needs no key).
    """

    def __init__(self, url: str | None = None, signer: Signer | str | os.PathLike | None = None):
        from substrateinterface import SubstrateInterface

        self.url = url or os.environ.get("PERFLEDGER_URL") or DEFAULT_URL
        try:
            self.substrate = SubstrateInterface(url=self.url, ss58_format=42)
            self.substrate.init_runtime()
        except Exception as error:
            raise ConnectionError(f"cannot reach a Perfledger node at {self.url}: {error}") from None
        self._signer_given = signer
        self._signer: Signer | None = None

    def close(self) -> None:
        self.substrate.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    @property
    def signer(self) -> Signer:
        if self._signer is None:
            self._signer = Signer.resolve(self._signer_given)
        return self._signer

    # Transactions ---------------------------------------------------------------------------

    def submit(self, pallet: str, call: str, params: Mapping[str, Any]) -> Any:
        """Signs and submits ``pallet.call(params)``, waits for its block, and returns the
        receipt. Raises :class:`TransactionRefused` if the node refuses it (nothing written) and
        :class:`ChainError` if it fails in its block (nothing written either)."""
        from substrateinterface.exceptions import SubstrateRequestException

        try:
            composed = self.substrate.compose_call(call_module=pallet, call_function=call, call_params=dict(params))
        except Exception as error:
            raise ConfigurationError(f"{pallet}.{call}: the arguments do not fit the chain's metadata: {error}") from None
        try:
            extrinsic = self.substrate.create_signed_extrinsic(
                call=composed, keypair=self.signer.keypair, era={"period": ERA_BLOCKS}
            )
            start = int(self.substrate.get_block_header()["header"]["number"])
            response = self.substrate.rpc_request("author_submitExtrinsic", [str(extrinsic.data)])
            if "result" not in response:
                raise SubstrateRequestException(response.get("error"))
            block = self._included(extrinsic.extrinsic_hash, start, f"{pallet}.{call}")
        except SubstrateRequestException as error:
            raise _refusal(pallet, call, self.signer.address, error) from None
        except (OSError, EOFError) as error:
            raise ConnectionError(f"the connection to {self.url} dropped: {error}") from None
        from substrateinterface import ExtrinsicReceipt

        receipt = ExtrinsicReceipt(substrate=self.substrate, extrinsic_hash="0x" + extrinsic.extrinsic_hash.hex(), block_hash=block)
        if not receipt.is_success:
            raise self._chain_error(receipt)
        return receipt

    def _included(self, extrinsic_hash: bytes, start: int, what: str) -> str:
        """The hash of the first block after ``start`` that holds the extrinsic. Bounded in
        blocks: a transaction not in the ``ERA_BLOCKS`` blocks of its era never will be; and a
        chain that makes no block for ``STALL_SECONDS`` is reported as such."""
        import hashlib

        seen = start
        last_progress = time.monotonic()
        while True:
            head = int(self.substrate.get_block_header()["header"]["number"])
            for number in range(seen + 1, head + 1):
                block_hash = self.substrate.get_block_hash(number)
                block = self.substrate.rpc_request("chain_getBlock", [block_hash])["result"]["block"]
                for encoded in block["extrinsics"]:
                    raw = bytes.fromhex(encoded.removeprefix("0x"))
                    if hashlib.blake2b(raw, digest_size=32).digest() == extrinsic_hash:
                        return block_hash
            if head > seen:
                seen = head
                last_progress = time.monotonic()
            if seen >= start + ERA_BLOCKS:
                raise TransactionRefused(
                    f"{what} was not included in the {ERA_BLOCKS} blocks of its era: it is dead; send it again",
                    "not included",
                )
            if time.monotonic() - last_progress > STALL_SECONDS:
                raise ConnectionError(f"{self.url} made no block for {STALL_SECONDS} s while {what} waited")
            time.sleep(0.25)

    def _chain_error(self, receipt: Any) -> ChainError:
        """The pallet error of a failed extrinsic, its fields decoded from the metadata."""
        for event in receipt.triggered_events:
            value = event.value
            if value["module_id"] == "System" and value["event_id"] == "ExtrinsicFailed":
                attributes = value["attributes"]
                dispatch_error = attributes["dispatch_error"] if isinstance(attributes, dict) else attributes[0]
                return _decode_dispatch_error(self.substrate, dispatch_error, receipt.block_hash)
        return ChainError("System", "Unknown", docs="the extrinsic failed with no ExtrinsicFailed event", block=receipt.block_hash)

    @staticmethod
    def _event(receipt: Any, pallet: str, name: str) -> Mapping[str, Any]:
        for event in receipt.triggered_events:
            value = event.value
            if value["module_id"] == pallet and value["event_id"] == name:
                return value["attributes"]
        raise ChainError(pallet, name, docs=f"the extrinsic succeeded without a {pallet}.{name} event")

    # Licenses and artifacts -----------------------------------------------------------------

    def register_license(
        self,
        *,
        derivatives: bool,
        training: bool,
        commercial: bool,
        royalty_ppm: int = 0,
        document: bytes | str,
    ) -> int:
        """Registers license terms; returns the license's id. ``royalty_ppm`` is the share (in
        millionths) an upstream owner takes from derivatives' revenue; ``document`` the 32-byte
        digest of the legal text (bytes or hex)."""
        terms = {"derivatives": derivatives, "training": training, "commercial": commercial, "royalty": royalty_ppm}
        receipt = self.submit("Attribution", "register_license", {"terms": terms, "document": _h256(document)})
        return int(self._event(receipt, "Attribution", "LicenseRegistered")["license"])

    def register(
        self,
        source: str | os.PathLike | Mapping[str, Any] | Manifest,
        *,
        kind: str,
        license: int,
        parents: Iterable[int] = (),
        uri: str | None = None,
    ) -> Registered:
        """Registers an artifact and returns its id (``.id``).

        ``source`` is a file, a directory, a ``.safetensors`` file, an in-memory mapping of
        tensor names to arrays (a ``state_dict``) or a :class:`Manifest` already computed.
        ``uri`` is where the bytes live (``ipfs://…``, ``ar://…``); left out for a path, it is
        the path's IPFS CIDv1. The manifest is kept (see :func:`manifest_store`) so that
        :meth:`verify` names what changed.

        A digest is registered once: if the chain has it already, no transaction is sent and
        the existing id is returned with ``already=True`` (so a retried registration never
        registers twice).
        """
        if kind not in KINDS:
            raise ConfigurationError(f"kind {kind!r}: expected one of {', '.join(KINDS)}")
        manifest = _manifest_of(source)
        if uri is None:
            if isinstance(source, (str, os.PathLike)):
                uri = f"ipfs://{cid_module.of(source)}"
            else:
                raise ConfigurationError(
                    "uri is needed for in-memory weights: they have no bytes to address (save them and give where)"
                )
        save_manifest(manifest)
        existing = self.artifact_by_digest(manifest.digest)
        if existing is not None:
            return Registered(existing, manifest, uri, None, already=True)
        params = {
            "kind": kind.capitalize(),
            "digest": "0x" + manifest.digest,
            # substrate-interface encodes a BoundedVec as the one-field struct it is.
            "uri": [uri],
            "parents": [sorted(int(p) for p in parents)],
            "license": int(license),
        }
        receipt = self.submit("Attribution", "register_artifact", params)
        event = self._event(receipt, "Attribution", "ArtifactRegistered")
        return Registered(int(event["artifact"]), manifest, uri, receipt.block_hash)

    def artifact(self, id: int) -> Artifact:
        """The artifact ``id``; :class:`NotFound` if there is none."""
        value = self.substrate.query("Attribution", "Artifacts", [int(id)]).value
        if value is None:
            raise NotFound(f"artifact {id} is not on chain")
        return Artifact.from_chain(int(id), value)

    def artifact_by_digest(self, digest: str | bytes) -> int | None:
        """The id of the artifact registered with ``digest``, if any."""
        value = self.substrate.query("Attribution", "ArtifactByDigest", [_h256(digest)]).value
        return None if value is None else int(value)

    def ancestors(self, id: int, depth: int = 64, skip: int = 0, limit: int = 1000) -> list[tuple[int, int]]:
        """``(artifact, generation)`` of the ancestors within ``depth`` generations, nearest
        first, paged by ``skip`` and ``limit`` (one runtime call)."""
        data = self._state_call("AttributionApi_ancestors", struct.pack("<QIII", id, depth, skip, limit))
        return _pairs(data)

    def descendants(self, id: int, depth: int = 64, skip: int = 0, limit: int = 1000) -> list[tuple[int, int]]:
        """``(artifact, generation)`` of the descendants within ``depth`` generations."""
        data = self._state_call("AttributionApi_descendants", struct.pack("<QIII", id, depth, skip, limit))
        return _pairs(data)

    def pedigree(self, model: int) -> list[dict[str, Any]]:
        """The data pedigree of ``model``: every dataset it descends from, each as
        ``{"artifact": Artifact, "license": {terms, document, registrar, …}}``."""
        from scalecodec.base import ScaleBytes

        data = ScaleBytes(self._state_call("AttributionApi_pedigree", struct.pack("<Q", model)))
        count = self.substrate.runtime_config.create_scale_object("Compact<u32>", data=data).decode(check_remaining=False)
        artifact_type = self._value_type("Artifacts")
        license_type = self._value_type("Licenses")
        out = []
        for _ in range(count):
            id = int.from_bytes(data.get_next_bytes(8), "little")
            artifact = self.substrate.runtime_config.create_scale_object(artifact_type, data=data)
            license = self.substrate.runtime_config.create_scale_object(license_type, data=data)
            out.append(
                {
                    "artifact": Artifact.from_chain(id, artifact.decode(check_remaining=False)),
                    "license": license.decode(check_remaining=False),
                }
            )
        return out

    def lineage(self, id: int, depth: int = 64) -> dict[str, Any]:
        """What ``perfledger model lineage`` prints: the artifact, its ancestors and descendants
        (as :class:`Artifact`), and, for a model, its data pedigree."""
        artifact = self.artifact(id)
        return {
            "artifact": artifact,
            "ancestors": [(self.artifact(a), g) for a, g in self.ancestors(id, depth)],
            "descendants": [(self.artifact(d), g) for d, g in self.descendants(id, depth)],
            "pedigree": self.pedigree(id) if artifact.kind == "checkpoint" else [],
        }

    def verify(self, path: str | os.PathLike | Mapping[str, Any], id: int) -> Manifest:
        """Checks that ``path`` (or in-memory weights) is artifact ``id``; returns its manifest.
        Raises :class:`VerificationFailed` naming each file or tensor that changed (when the
        artifact's manifest was kept here) otherwise."""
        artifact = self.artifact(id)
        found = _manifest_of(path)
        if found.digest == artifact.digest:
            return found
        kept = os.path.join(manifest_store(), f"{artifact.digest}.json")
        differences: list[str] = []
        if os.path.exists(kept):
            with open(kept, encoding="utf-8") as handle:
                differences = found.differences(Manifest.from_json(json.load(handle)))
        shown = "; ".join(differences) if differences else "no manifest of it is kept here to name what changed"
        raise VerificationFailed(
            f"{os.fspath(path) if not isinstance(path, Mapping) else 'the weights'} is not artifact {id} "
            f"(digest {found.digest}, registered {artifact.digest}): {shown}",
            differences,
        )

    # Royalties ------------------------------------------------------------------------------

    def claimable(self, model: int, who: str | None = None) -> int:
        """What ``who`` (the signer by default) can claim now from ``model``'s pool, in plancks."""
        from scalecodec.utils.ss58 import ss58_decode

        account = bytes.fromhex(ss58_decode(who or self.signer.address))
        data = self._state_call("AttributionApi_claimable", struct.pack("<Q", model) + account)
        return int.from_bytes(data[:16], "little")

    def royalties(self, model: int, who: str | None = None) -> dict[str, int]:
        """``{"claimable": …, "claimed": …}`` for ``who`` in ``model``'s pool."""
        who = who or self.signer.address
        claimed = self.substrate.query("Attribution", "Claimed", [int(model), who]).value
        return {"claimable": self.claimable(model, who), "claimed": int(claimed or 0)}

    def claim(self, model: int, beneficiary: str | None = None) -> int:
        """Claims what the signer is owed from ``model``'s pool, paid to ``beneficiary`` (the
        signer by default); returns the amount."""
        receipt = self.submit(
            "Attribution", "claim", {"model": int(model), "beneficiary": beneficiary or self.signer.address}
        )
        return int(self._event(receipt, "Attribution", "Claimed")["amount"])

    # Records --------------------------------------------------------------------------------

    def record(
        self,
        *,
        metric: int,
        subject: str,
        amount: int,
        scale: int = 0,
        time_ms: int | None = None,
        document: bytes | str | None = None,
    ) -> int:
        """Submits a ``records`` record (``amount`` × 10^-``scale`` of ``metric`` about
        ``subject``); returns its id. ``document`` defaults to the digest of the record's own
        fields."""
        import hashlib

        time_ms = int(time.time() * 1000) if time_ms is None else int(time_ms)
        if document is None:
            document = hashlib.blake2b(f"{metric}\t{subject}\t{amount}\t{scale}\t{time_ms}".encode(), digest_size=32).digest()
        params = {
            "input": {
                "metric": int(metric),
                "subject": [subject],
                "value": {"amount": int(amount), "scale": int(scale)},
                "time": time_ms,
                "document": _h256(document),
                "region": None,
                "parents": [[]],
            }
        }
        receipt = self.submit("Records", "submit_record", params)
        return int(self._event(receipt, "Records", "Recorded")["record"])

    def record_by_document(self, document: bytes | str) -> int | None:
        """The id of a record whose document hash is ``document`` (any organization's), if any:
        how a retried submission finds that it was sent already."""
        for _, use in self.substrate.query_map("Records", "Documents", [_h256(document)], page_size=10):
            value = use.value
            if isinstance(value, dict) and "Record" in value:
                return int(value["Record"])
        return None

    # Plumbing -------------------------------------------------------------------------------

    def _state_call(self, method: str, params: bytes) -> bytes:
        try:
            result = self.substrate.rpc_request("state_call", [method, "0x" + params.hex(), None])
        except Exception as error:
            raise ConnectionError(f"runtime call {method} failed at {self.url}: {error}") from None
        return bytes.fromhex(result["result"].removeprefix("0x"))

    def _value_type(self, storage: str) -> str:
        function = self.substrate.get_metadata_storage_function("Attribution", storage)
        return function.get_value_type_string()


def _manifest_of(source: Any) -> Manifest:
    if isinstance(source, Manifest):
        return source
    if isinstance(source, (str, os.PathLike)):
        return manifest_module.of(source)
    if isinstance(source, Mapping):
        return manifest_module.of_tensors(source)
    raise ConfigurationError(
        f"cannot register a {type(source).__name__}: give a path, a mapping of tensor names to arrays, or a Manifest"
    )


def save_manifest(manifest: Manifest) -> str:
    """Keeps ``manifest`` by digest where ``perfledger model verify`` and :meth:`Ledger.verify`
    look for it; returns its path."""
    directory = manifest_store()
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{manifest.digest}.json")
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(manifest.to_json(), handle, indent=2)
    os.replace(path + ".tmp", path)
    return path


def _h256(value: bytes | str) -> str:
    raw = bytes.fromhex(value.removeprefix("0x")) if isinstance(value, str) else bytes(value)
    if len(raw) != 32:
        raise ConfigurationError(f"a digest is 32 bytes (64 hex digits), not {len(raw)}")
    return "0x" + raw.hex()


def _pairs(data: bytes) -> list[tuple[int, int]]:
    from scalecodec.base import ScaleBytes
    from scalecodec.types import Compact

    scale = ScaleBytes(data)
    count = Compact(scale).decode(check_remaining=False)
    return [struct.unpack("<QI", scale.get_next_bytes(12)) for _ in range(count)]


# What the transaction pool's refusals mean here, and what to do about them.
_REFUSALS = {
    "BadSigner": "the signer is not allowed this call: it must be an account of a member organization "
    "with a role that permits it (the permissions gate); ask an admin of your organization to grant it",
    "Payment": "the signer cannot pay the fee: fund the account",
    "Stale": "the nonce is used already (a transaction from this account was included meanwhile): retry",
    "Future": "the nonce is ahead of the account's: an earlier transaction is missing",
    "ExhaustsResources": "the block is full: retry",
}


def _refusal(pallet: str, call: str, signer: str, error: Exception) -> TransactionRefused:
    detail = error.args[0] if error.args else error
    text = json.dumps(detail) if isinstance(detail, dict) else str(detail)
    for key, meaning in _REFUSALS.items():
        if key.lower() in text.lower().replace(" ", "") or (key == "BadSigner" and "signing address" in text):
            return TransactionRefused(f"{pallet}.{call} from {signer} refused by the node: {meaning} ({text})", text)
    return TransactionRefused(f"{pallet}.{call} from {signer} refused by the node: {text}", text)


def _decode_dispatch_error(substrate: Any, dispatch_error: Any, block: str | None) -> ChainError:
    if isinstance(dispatch_error, dict) and "Module" in dispatch_error:
        module = dispatch_error["Module"]
        index = int(module["index"])
        raw = module["error"]
        raw = bytes.fromhex(raw.removeprefix("0x")) if isinstance(raw, str) else bytes(raw)
        for pallet in substrate.metadata.pallets:
            if int(pallet["index"].value) != index:
                continue
            variant = _error_variant(substrate, pallet, raw[0])
            if variant is None:
                break
            fields = _decode_fields(substrate, variant.get("fields", []), raw[1:])
            docs = " ".join(line.strip() for line in variant.get("docs", [])).strip()
            return ChainError(pallet.name, variant["name"], fields, docs, block)
        return ChainError(f"pallet #{index}", f"error #{raw[0]}", docs="not in this node's metadata", block=block)
    if isinstance(dispatch_error, dict):
        (name, value), = dispatch_error.items()
        detail = value if isinstance(value, str) else (next(iter(value)) if isinstance(value, dict) else "")
        return ChainError("System", name, docs=str(detail or ""), block=block)
    return ChainError("System", str(dispatch_error), block=block)


def _error_variant(substrate: Any, pallet: Any, index: int) -> dict[str, Any] | None:
    errors = pallet.value.get("error")
    if not errors:
        return None
    type_id = errors["ty"] if isinstance(errors, dict) else errors
    portable = substrate.metadata.portable_registry.value["types"]
    definition = next(t for t in portable if t["id"] == type_id)["type"]["def"]
    for variant in definition["variant"]["variants"]:
        if variant["index"] == index:
            return variant
    return None


def _decode_fields(substrate: Any, fields: Sequence[Mapping[str, Any]], raw: bytes) -> dict[str, Any]:
    from scalecodec.base import ScaleBytes

    data = ScaleBytes(raw)
    out = {}
    for position, field in enumerate(fields):
        value = substrate.runtime_config.create_scale_object(f"scale_info::{field['type']}", data=data)
        out[field.get("name") or str(position)] = value.decode(check_remaining=False)
    return out
