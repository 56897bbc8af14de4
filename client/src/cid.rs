//! The IPFS CIDv1 of a file or directory, as `ipfs add --cid-version 1` computes it (for a
//! directory, `ipfs add -r --hidden --cid-version 1`): UnixFS, 256 KiB fixed-size chunks as raw
//! leaves, a balanced DAG of at most 174 links per node, SHA-256, printed in base32. Read in
//! bounded memory: one chunk and the links of the open nodes. Tested against the npm package
//! `ipfs-unixfs-importer`, an independent implementation (`tests/e2e/cid.test.mjs`).

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::{io::Read, path::Path};

/// The chunk size: `size-262144`, the default chunker.
const CHUNK: usize = 262_144;
/// The most links a file node has: the balanced layout's default.
const MAX_LINKS: usize = 174;
/// Multicodec of raw leaves.
const RAW: u64 = 0x55;
/// Multicodec of DAG-PB nodes.
const DAG_PB: u64 = 0x70;

/// A block: its CID's bytes, the size of the file data under it, and its cumulative size (the
/// `Tsize` of a link to it: its own encoding and everything under it).
struct Block {
	cid: Vec<u8>,
	file_size: u64,
	total: u64,
}

fn varint(mut n: u64, out: &mut Vec<u8>) {
	while n >= 0x80 {
		out.push((n as u8) | 0x80);
		n >>= 7;
	}
	out.push(n as u8);
}

fn field_bytes(tag: u8, bytes: &[u8], out: &mut Vec<u8>) {
	out.push(tag);
	varint(bytes.len() as u64, out);
	out.extend_from_slice(bytes);
}

fn cid(codec: u64, block: &[u8]) -> Vec<u8> {
	let mut out = Vec::with_capacity(36);
	varint(1, &mut out);
	varint(codec, &mut out);
	out.extend_from_slice(&[0x12, 0x20]);
	out.extend_from_slice(&Sha256::digest(block));
	out
}

/// A DAG-PB node of `links` (CID, name, cumulative size) and UnixFS `data`: links first, then
/// data, as the DAG-PB spec orders them.
fn node(links: &[(&[u8], &str, u64)], data: &[u8]) -> Vec<u8> {
	let mut out = Vec::new();
	for (hash, name, tsize) in links {
		let mut link = Vec::new();
		field_bytes(0x0a, hash, &mut link);
		field_bytes(0x12, name.as_bytes(), &mut link);
		link.push(0x18);
		varint(*tsize, &mut link);
		field_bytes(0x12, &link, &mut out);
	}
	field_bytes(0x0a, data, &mut out);
	out
}

/// A file node over `children`: UnixFS type file, its size, each child's size.
fn file_node(children: &[Block]) -> Block {
	let mut data = vec![0x08, 0x02];
	let file_size: u64 = children.iter().map(|c| c.file_size).sum();
	data.push(0x18);
	varint(file_size, &mut data);
	for child in children {
		data.push(0x20);
		varint(child.file_size, &mut data);
	}
	let links: Vec<_> = children.iter().map(|c| (&c.cid[..], "", c.total)).collect();
	let encoded = node(&links, &data);
	let total = encoded.len() as u64 + children.iter().map(|c| c.total).sum::<u64>();
	Block { cid: cid(DAG_PB, &encoded), file_size, total }
}

/// Fills `buffer` from `reader` as far as it goes; returns how much.
fn fill(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
	let mut filled = 0;
	while filled < buffer.len() {
		match reader.read(&mut buffer[filled..])? {
			0 => break,
			n => filled += n,
		}
	}
	Ok(filled)
}

/// The root block of a file's bytes. Keeps at most `MAX_LINKS` blocks per open level.
fn file(reader: &mut impl Read) -> std::io::Result<Block> {
	let mut buffer = vec![0u8; CHUNK];
	// levels[0]: leaves waiting for their parent; levels[i]: nodes of level i waiting.
	let mut levels: Vec<Vec<Block>> = vec![Vec::new()];
	let mut leaves = 0u64;
	loop {
		let n = fill(reader, &mut buffer)?;
		if n == 0 && leaves > 0 {
			break;
		}
		let chunk = &buffer[..n];
		levels[0].push(Block { cid: cid(RAW, chunk), file_size: n as u64, total: n as u64 });
		leaves += 1;
		// A full level becomes one node of the level above.
		let mut level = 0;
		while levels[level].len() == MAX_LINKS && n == CHUNK {
			let full = std::mem::take(&mut levels[level]);
			if levels.len() == level + 1 {
				levels.push(Vec::new());
			}
			levels[level + 1].push(file_node(&full));
			level += 1;
		}
		if n < CHUNK {
			break;
		}
	}
	if leaves == 1 {
		// One chunk: the raw leaf is the file.
		return Ok(levels.remove(0).remove(0));
	}
	// Close the levels bottom up, as the balanced builder batches them.
	let mut carry: Vec<Block> = Vec::new();
	for level in 0..levels.len() {
		let mut waiting = std::mem::take(&mut levels[level]);
		waiting.append(&mut carry);
		if waiting.is_empty() {
			continue;
		}
		let top = level + 1 == levels.len();
		if top && waiting.len() == 1 && level > 0 {
			return Ok(waiting.remove(0));
		}
		carry = vec![file_node(&waiting)];
		if top {
			return Ok(carry.remove(0));
		}
	}
	unreachable!("the last level returns")
}

fn base32(bytes: &[u8]) -> String {
	const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
	let mut out = String::from("b");
	let (mut buffer, mut bits) = (0u32, 0u32);
	for byte in bytes {
		buffer = (buffer << 8) | u32::from(*byte);
		bits += 8;
		while bits >= 5 {
			out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
			bits -= 5;
		}
	}
	if bits > 0 {
		out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
	}
	out
}

fn block_of(path: &Path) -> Result<Block> {
	let meta = std::fs::symlink_metadata(path)
		.with_context(|| format!("cannot read {}", path.display()))?;
	if meta.is_file() {
		let mut f =
			std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
		return file(&mut f).with_context(|| format!("cannot read {}", path.display()));
	}
	if !meta.is_dir() {
		bail!("{} is neither a regular file nor a directory", path.display());
	}
	let mut children: Vec<_> = std::fs::read_dir(path)
		.with_context(|| format!("cannot list {}", path.display()))?
		.collect::<std::io::Result<_>>()?;
	children.sort_by(|a, b| a.file_name().as_encoded_bytes().cmp(b.file_name().as_encoded_bytes()));
	let mut blocks = Vec::new();
	for child in &children {
		let name = child.file_name().into_string().map_err(|n| {
			anyhow::anyhow!("{}: a file name that is not UTF-8 ({n:?})", path.display())
		})?;
		blocks.push((name, block_of(&child.path())?));
	}
	let links: Vec<_> =
		blocks.iter().map(|(name, b)| (&b.cid[..], name.as_str(), b.total)).collect();
	let encoded = node(&links, &[0x08, 0x01]);
	let total = encoded.len() as u64 + blocks.iter().map(|(_, b)| b.total).sum::<u64>();
	Ok(Block { cid: cid(DAG_PB, &encoded), file_size: 0, total })
}

/// The CIDv1 (base32) of the file or directory at `path`.
pub fn of(path: &Path) -> Result<String> {
	Ok(base32(&block_of(path)?.cid))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn small_files_are_one_raw_leaf_with_the_well_known_cids() {
		// The CIDs `ipfs add --cid-version 1` prints for these (published widely: the empty
		// file's is in the IPFS docs and specs).
		let dir = tempfile::tempdir().unwrap();
		let empty = dir.path().join("empty");
		std::fs::write(&empty, b"").unwrap();
		assert_eq!(
			of(&empty).unwrap(),
			"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
		);
	}

	#[test]
	fn base32_is_rfc4648_lower_case_without_padding() {
		assert_eq!(base32(b"foobar"), "bmzxw6ytboi");
		assert_eq!(base32(b"f"), "bmy");
	}
}
