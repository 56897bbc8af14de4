"""The IPFS CIDv1 of a file or directory, as ``ipfs add --cid-version 1`` computes it (for a
directory, ``ipfs add -r --hidden --cid-version 1``), the same as ``client/src/cid.rs``: UnixFS,
256 KiB fixed-size chunks as raw leaves, a balanced DAG of at most 174 links per node, SHA-256,
printed in base32. Read in bounded memory: one chunk and the links of the open nodes.

It is the URI an artifact is registered with when none is given: where the bytes will be once
they are pinned to IPFS.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from dataclasses import dataclass

from .errors import ManifestError

__all__ = ["of"]

CHUNK = 262_144
MAX_LINKS = 174
_RAW = 0x55
_DAG_PB = 0x70


@dataclass
class _Block:
    cid: bytes
    file_size: int
    total: int


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _field(tag: int, data: bytes) -> bytes:
    return bytes([tag]) + _varint(len(data)) + data


def _cid(codec: int, block: bytes) -> bytes:
    return _varint(1) + _varint(codec) + b"\x12\x20" + hashlib.sha256(block).digest()


def _node(links: list[tuple[bytes, str, int]], data: bytes) -> bytes:
    out = bytearray()
    for cid, name, tsize in links:
        link = _field(0x0A, cid) + _field(0x12, name.encode()) + b"\x18" + _varint(tsize)
        out += _field(0x12, link)
    out += _field(0x0A, data)
    return bytes(out)


def _file_node(children: list[_Block]) -> _Block:
    file_size = sum(c.file_size for c in children)
    data = b"\x08\x02\x18" + _varint(file_size) + b"".join(b"\x20" + _varint(c.file_size) for c in children)
    encoded = _node([(c.cid, "", c.total) for c in children], data)
    return _Block(_cid(_DAG_PB, encoded), file_size, len(encoded) + sum(c.total for c in children))


def _read_chunk(handle) -> bytes:
    parts = []
    size = 0
    while size < CHUNK:
        part = handle.read(CHUNK - size)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def _file(handle) -> _Block:
    levels: list[list[_Block]] = [[]]
    leaves = 0
    while True:
        chunk = _read_chunk(handle)
        if not chunk and leaves:
            break
        levels[0].append(_Block(_cid(_RAW, chunk), len(chunk), len(chunk)))
        leaves += 1
        level = 0
        while len(levels[level]) == MAX_LINKS and len(chunk) == CHUNK:
            full, levels[level] = levels[level], []
            if len(levels) == level + 1:
                levels.append([])
            levels[level + 1].append(_file_node(full))
            level += 1
        if len(chunk) < CHUNK:
            break
    if leaves == 1:
        return levels[0][0]
    carry: list[_Block] = []
    for level in range(len(levels)):
        waiting = levels[level] + carry
        levels[level] = []
        if not waiting:
            continue
        top = level + 1 == len(levels)
        if top and len(waiting) == 1 and level > 0:
            return waiting[0]
        carry = [_file_node(waiting)]
        if top:
            return carry[0]
    raise AssertionError("the last level returns")


def _block_of(path: str) -> _Block:
    try:
        mode = os.lstat(path).st_mode
    except OSError as error:
        raise ManifestError(f"cannot read {path}: {error.strerror}") from error
    if stat.S_ISREG(mode):
        with open(path, "rb") as handle:
            return _file(handle)
    if not stat.S_ISDIR(mode):
        raise ManifestError(f"{path} is neither a regular file nor a directory")
    children = sorted(os.listdir(path), key=os.fsencode)
    blocks = [(name, _block_of(os.path.join(path, name))) for name in children]
    encoded = _node([(b.cid, name, b.total) for name, b in blocks], b"\x08\x01")
    return _Block(_cid(_DAG_PB, encoded), 0, len(encoded) + sum(b.total for _, b in blocks))


def of(path: str | os.PathLike) -> str:
    """The CIDv1 (base32, ``bafy…`` or ``bafk…``) of the file or directory at ``path``."""
    raw = _block_of(os.fspath(path)).cid
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")
