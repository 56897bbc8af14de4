"""An artifact's manifest and its digest: the identity the chain registers.

The rules are those of ``perfledger model commit`` (``client/src/manifest.rs``, version 1),
written out here so that the two can be checked against each other:

* a regular file gives one file entry: its path, size and SHA-256;
* a ``.safetensors`` file gives one tensor entry per tensor instead: its path, the tensor's
  name, dtype, shape and the SHA-256 of its data bytes. The JSON header's ``__metadata__``, the
  order of the tensors and their offsets are left out, so the same weights keep the same
  identity however the header was written;
* a directory gives the entries of every regular file under it (paths relative to it, ``/``
  between components; a symbolic link is refused); a single file's path is empty, so that
  renaming it keeps its identity;
* an in-memory mapping of tensor names to arrays (a PyTorch ``state_dict``, NumPy or JAX
  arrays) gives the tensor entries the same weights would have in a single ``.safetensors``
  file: the same digest as that file, without writing it.

The digest is the SHA-256 of ``perfledger-manifest/1\\n`` followed by one line per entry, sorted
by path then tensor name (as UTF-8 bytes), fields separated by a tab:

* ``F``, the path as a JSON string, the size in decimal, the SHA-256 in lower-case hex;
* ``T``, the path as a JSON string, the tensor name as a JSON string, the dtype, the shape as
  decimals joined by ``,`` (empty for a scalar), the data's SHA-256 in lower-case hex.

Files are read through a 1 MiB buffer: a 10 GB checkpoint is hashed in bounded memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .errors import ManifestError

__all__ = ["Entry", "Manifest", "of", "of_tensors", "BUFFER"]

#: The buffer reads go through: the most a manifest holds in memory of a file's bytes.
BUFFER = 1 << 20
#: The largest safetensors JSON header read (the format's own limit is 100 MB).
MAX_HEADER = 100_000_000
_PREFIX = b"perfledger-manifest/1\n"


def _json(text: str) -> str:
    # serde_json's escaping: `"` and `\`, the short escapes, other controls as \u00xx; the rest
    # (non-ASCII included) as UTF-8.
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class Entry:
    """One entry: a whole file (``kind == "file"``) or a tensor of a ``.safetensors`` file."""

    kind: str
    path: str
    sha256: str
    size: int = 0
    name: str = ""
    dtype: str = ""
    shape: tuple[int, ...] = ()

    @property
    def key(self) -> tuple[bytes, bytes]:
        return (self.path.encode(), self.name.encode() if self.kind == "tensor" else b"")

    @property
    def label(self) -> str:
        """What the entry is, as a person reads it: ``weights.safetensors#layer.0.weight``."""
        if self.kind == "file":
            return self.path or "the file"
        return f"{self.path}#{self.name}" if self.path else f"tensor {self.name}"

    def line(self) -> str:
        if self.kind == "file":
            return f"F\t{_json(self.path)}\t{self.size}\t{self.sha256}\n"
        shape = ",".join(str(d) for d in self.shape)
        return f"T\t{_json(self.path)}\t{_json(self.name)}\t{self.dtype}\t{shape}\t{self.sha256}\n"

    def to_json(self) -> dict[str, Any]:
        """The entry as ``perfledger model commit`` saves it."""
        if self.kind == "file":
            return {"kind": "file", "path": self.path, "size": self.size, "sha256": self.sha256}
        return {
            "kind": "tensor",
            "path": self.path,
            "name": self.name,
            "dtype": self.dtype,
            "shape": list(self.shape),
            "sha256": self.sha256,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> "Entry":
        if value["kind"] == "file":
            return cls("file", value["path"], value["sha256"], size=int(value["size"]))
        return cls(
            "tensor",
            value["path"],
            value["sha256"],
            name=value["name"],
            dtype=value["dtype"],
            shape=tuple(int(d) for d in value["shape"]),
        )


@dataclass(frozen=True)
class Manifest:
    """A manifest: its digest (64 hex digits), its sorted entries, and the bytes read."""

    digest: str
    entries: tuple[Entry, ...] = field(default_factory=tuple)
    bytes: int = 0

    @classmethod
    def of_entries(cls, entries: Iterable[Entry], read: int) -> "Manifest":
        ordered = tuple(sorted(entries, key=lambda e: e.key))
        hasher = hashlib.sha256(_PREFIX)
        for entry in ordered:
            hasher.update(entry.line().encode())
        return cls(hasher.hexdigest(), ordered, read)

    @property
    def digest_bytes(self) -> bytes:
        """The digest as the 32 bytes the chain stores."""
        return bytes.fromhex(self.digest)

    def differences(self, expected: "Manifest") -> list[str]:
        """What differs from ``expected`` (another manifest of the same artifact), by label."""
        mine = {e.key: e for e in self.entries}
        theirs = {e.key: e for e in expected.entries}
        out = []
        for want in expected.entries:
            got = mine.get(want.key)
            if got is None:
                out.append(f"{want.label} is missing")
            elif got != want:
                out.append(f"{want.label} changed")
        out.extend(f"{got.label} was not in the artifact" for got in self.entries if got.key not in theirs)
        return out

    def to_json(self) -> dict[str, Any]:
        """The manifest as ``perfledger model commit`` saves it (``model verify`` reads it)."""
        return {"digest": self.digest, "entries": [e.to_json() for e in self.entries], "bytes": self.bytes}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> "Manifest":
        return cls(value["digest"], tuple(Entry.from_json(e) for e in value["entries"]), int(value.get("bytes", 0)))


def _hash(handle, limit: int | None = None) -> tuple[str, int]:
    hasher = hashlib.sha256()
    buffer = bytearray(BUFFER)
    view = memoryview(buffer)
    total = 0
    while limit is None or total < limit:
        want = BUFFER if limit is None else min(BUFFER, limit - total)
        read = handle.readinto(view[:want])
        if not read:
            break
        hasher.update(view[:read])
        total += read
    return hasher.hexdigest(), total


def _walk(root: str, relative: str, out: list[tuple[str, str]]) -> None:
    try:
        children = sorted(os.scandir(root), key=lambda c: os.fsencode(c.name))
    except OSError as error:
        raise ManifestError(f"cannot list {root}: {error.strerror}") from error
    for child in children:
        path = f"{relative}/{child.name}" if relative else child.name
        if child.is_symlink():
            raise ManifestError(f"{child.path} is a symbolic link: copy what it points to into the artifact")
        if child.is_dir(follow_symlinks=False):
            _walk(child.path, path, out)
        elif child.is_file(follow_symlinks=False):
            out.append((path, child.path))


def _tensors(relative: str, full: str, handle, entries: list[Entry]) -> int:
    what = f"{full} is not a valid safetensors file"
    size = os.fstat(handle.fileno()).st_size
    length = handle.read(8)
    if len(length) < 8:
        raise ManifestError(f"{what}: it is shorter than its header length")
    (header_len,) = struct.unpack("<Q", length)
    if header_len > MAX_HEADER or 8 + header_len > size:
        raise ManifestError(f"{what}: its header length ({header_len} bytes) runs past the file")
    try:
        header = json.loads(handle.read(header_len))
    except ValueError as error:
        raise ManifestError(f"{what}: its header is not JSON ({error})") from error
    if not isinstance(header, dict):
        raise ManifestError(f"{what}: its header is not a JSON object")
    base = 8 + header_len
    infos = []
    for name, value in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype, shape, (begin, end) = value["dtype"], value["shape"], value["data_offsets"]
            shape = tuple(int(d) for d in shape)
        except (KeyError, TypeError, ValueError) as error:
            raise ManifestError(f"{what}: tensor {name} has no dtype, shape and data_offsets") from error
        if begin > end or base + end > size:
            raise ManifestError(f"{what}: tensor {name}'s data ({begin}..{end}) runs past the file")
        infos.append((name, str(dtype), shape, int(begin), int(end)))
    infos.sort(key=lambda i: (i[3], i[4]))
    for a, b in zip(infos, infos[1:]):
        if b[3] < a[4]:
            raise ManifestError(f"{what}: tensors {a[0]} and {b[0]} overlap")
    read = base
    for name, dtype, shape, begin, end in infos:
        handle.seek(base + begin)
        sha256, got = _hash(handle, end - begin)
        if got != end - begin:
            raise ManifestError(f"{what}: tensor {name} is cut short")
        read += got
        entries.append(Entry("tensor", relative, sha256, name=name, dtype=dtype, shape=shape))
    return read


def _entries_of(relative: str, full: str, entries: list[Entry]) -> int:
    try:
        with open(full, "rb") as handle:
            if not full.endswith(".safetensors"):
                sha256, size = _hash(handle)
                entries.append(Entry("file", relative, sha256, size=size))
                return size
            return _tensors(relative, full, handle, entries)
    except OSError as error:
        raise ManifestError(f"cannot read {full}: {error.strerror}") from error


def of(path: str | os.PathLike) -> Manifest:
    """The manifest of a file or a directory (see the module's rules)."""
    path = os.fspath(path)
    try:
        mode = os.lstat(path).st_mode
    except OSError as error:
        raise ManifestError(f"cannot read {path}: {error.strerror}") from error
    files: list[tuple[str, str]] = []
    if stat.S_ISDIR(mode):
        _walk(path, "", files)
    elif stat.S_ISREG(mode):
        files.append(("", path))
    else:
        raise ManifestError(f"{path} is neither a regular file nor a directory")
    entries: list[Entry] = []
    read = sum(_entries_of(relative, full, entries) for relative, full in files)
    return Manifest.of_entries(entries, read)


# safetensors' dtype names, by the NumPy dtype string of the same element type.
_NUMPY_DTYPES = {
    "bool": "BOOL",
    "uint8": "U8",
    "int8": "I8",
    "uint16": "U16",
    "int16": "I16",
    "uint32": "U32",
    "int32": "I32",
    "uint64": "U64",
    "int64": "I64",
    "float16": "F16",
    "float32": "F32",
    "float64": "F64",
    "bfloat16": "BF16",
    "float8_e4m3fn": "F8_E4M3",
    "float8_e5m2": "F8_E5M2",
}
_TORCH_DTYPES = {f"torch.{k}": v for k, v in _NUMPY_DTYPES.items()}


def _tensor_bytes(name: str, value: Any) -> tuple[str, tuple[int, ...], memoryview]:
    """A tensor's safetensors dtype, shape and little-endian C-order bytes, without importing a
    framework: a PyTorch tensor is recognised by its methods, anything else goes through the
    NumPy array protocol."""
    if hasattr(value, "detach") and hasattr(value, "cpu") and hasattr(value, "untyped_storage"):
        tensor = value.detach().cpu().contiguous()
        dtype = _TORCH_DTYPES.get(str(tensor.dtype))
        if dtype is None:
            raise ManifestError(f"tensor {name}: dtype {tensor.dtype} has no safetensors name")
        shape = tuple(int(d) for d in tensor.shape)
        if dtype == "BF16" or dtype.startswith("F8"):
            # NumPy has no such element type: reinterpret the bytes as integers of their width.
            import torch  # present: `value` is one of its tensors

            width = {"BF16": torch.int16}.get(dtype, torch.uint8)
            data = tensor.view(width).numpy()
        else:
            data = tensor.numpy()
        return dtype, shape, memoryview(data.astype(data.dtype.newbyteorder("<"), copy=False).tobytes())
    try:
        import numpy
    except ImportError as error:  # pragma: no cover - every array library brings NumPy
        raise ManifestError(f"tensor {name}: reading arrays needs NumPy (pip install numpy)") from error
    array = numpy.asarray(value)
    dtype = _NUMPY_DTYPES.get(str(array.dtype))
    if dtype is None:
        raise ManifestError(f"tensor {name}: dtype {array.dtype} has no safetensors name")
    little = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return dtype, tuple(int(d) for d in array.shape), memoryview(numpy.ascontiguousarray(little).tobytes())


def of_tensors(tensors: Mapping[str, Any]) -> Manifest:
    """The manifest of in-memory weights: a ``state_dict`` or any mapping of names to arrays.

    Equal to the manifest of the ``.safetensors`` file holding the same tensors (``path`` empty,
    as for a single file), so a checkpoint registered from memory verifies against its file.
    """
    entries = []
    read = 0
    for name, value in tensors.items():
        if not isinstance(name, str):
            raise ManifestError(f"tensor names are strings: {name!r} is a {type(name).__name__}")
        dtype, shape, data = _tensor_bytes(name, value)
        entries.append(Entry("tensor", "", hashlib.sha256(data).hexdigest(), name=name, dtype=dtype, shape=shape))
        read += data.nbytes
    return Manifest.of_entries(entries, read)
