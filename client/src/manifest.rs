//! An artifact's manifest and its digest: the identity `perfledger model commit` registers and
//! `model verify` checks. The Python package computes the same digest (same rules, tested
//! against this).
//!
//! ## The rules (version 1)
//!
//! A manifest is a list of entries, read in bounded memory (1 MiB buffers), whatever the size:
//! - a regular file gives one file entry: its path, size and SHA-256;
//! - a `.safetensors` file gives one tensor entry per tensor instead: its path, the tensor's
//!   name, dtype, shape and the SHA-256 of its data bytes. The JSON header's `__metadata__`,
//!   the order of the tensors and their offsets are left out, so the same weights keep the same
//!   identity however the file's header was written;
//! - a directory gives the entries of every regular file under it (paths relative to it, `/`
//!   between components; a symbolic link is refused); a single file's path is empty, so that
//!   renaming it keeps its identity.
//!
//! The digest is the SHA-256 of `perfledger-manifest/1\n` followed by one line per entry,
//! sorted by path, then tensor name (as bytes), fields separated by a tab:
//! - `F`, the path as a JSON string, the size in decimal, the SHA-256 in lower-case hex;
//! - `T`, the path as a JSON string, the tensor name as a JSON string, the dtype, the shape as
//!   decimals joined by `,` (empty for a scalar), the data's SHA-256 in lower-case hex.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::{
	fs::File,
	io::{Read, Seek, SeekFrom},
	path::{Path, PathBuf},
};

/// The buffer the reads go through: the most a manifest holds in memory of a file's bytes.
const BUFFER: usize = 1 << 20;
/// The largest safetensors JSON header read (the format's own limit is 100 MB).
const MAX_HEADER: u64 = 100_000_000;

/// One entry of a manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Entry {
	/// A file, whole.
	File { path: String, size: u64, sha256: String },
	/// A tensor of a `.safetensors` file.
	Tensor { path: String, name: String, dtype: String, shape: Vec<u64>, sha256: String },
}

impl Entry {
	/// What the entry is, as a person reads it: `weights.safetensors` or
	/// `weights.safetensors#layer.0.weight`.
	pub fn label(&self) -> String {
		match self {
			Entry::File { path, .. } if path.is_empty() => "the file".into(),
			Entry::File { path, .. } => path.clone(),
			Entry::Tensor { path, name, .. } if path.is_empty() => format!("tensor {name}"),
			Entry::Tensor { path, name, .. } => format!("{path}#{name}"),
		}
	}

	fn key(&self) -> (&str, &str) {
		match self {
			Entry::File { path, .. } => (path, ""),
			Entry::Tensor { path, name, .. } => (path, name),
		}
	}

	fn line(&self) -> String {
		let json = |s: &str| serde_json::to_string(s).expect("a string serializes");
		match self {
			Entry::File { path, size, sha256 } => format!("F\t{}\t{size}\t{sha256}\n", json(path)),
			Entry::Tensor { path, name, dtype, shape, sha256 } => {
				let shape: Vec<String> = shape.iter().map(u64::to_string).collect();
				format!(
					"T\t{}\t{}\t{dtype}\t{}\t{sha256}\n",
					json(path),
					json(name),
					shape.join(",")
				)
			}
		}
	}
}

/// A manifest: its entries, sorted, and its digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
	/// The digest the chain registers.
	pub digest: String,
	/// The entries, sorted by path and tensor name.
	pub entries: Vec<Entry>,
	/// Bytes read to compute it.
	pub bytes: u64,
}

impl Manifest {
	/// The digest as the 32 bytes the chain stores.
	pub fn digest_bytes(&self) -> [u8; 32] {
		let mut out = [0u8; 32];
		hex::decode_to_slice(&self.digest, &mut out).expect("a digest is 64 hex digits");
		out
	}

	/// What differs from `expected` (another manifest of the same artifact), entry by entry:
	/// changed, missing and unexpected entries, by label.
	pub fn differences(&self, expected: &Manifest) -> Vec<String> {
		let mut out = Vec::new();
		for want in &expected.entries {
			match self.entries.iter().find(|e| e.key() == want.key()) {
				None => out.push(format!("{} is missing", want.label())),
				Some(got) if got != want => out.push(format!("{} changed", want.label())),
				Some(_) => {}
			}
		}
		for got in &self.entries {
			if !expected.entries.iter().any(|e| e.key() == got.key()) {
				out.push(format!("{} was not in the artifact", got.label()));
			}
		}
		out
	}
}

/// Reads `path` (a file or a directory) and computes its manifest.
pub fn of(path: &Path) -> Result<Manifest> {
	let meta = std::fs::symlink_metadata(path)
		.with_context(|| format!("cannot read {}", path.display()))?;
	let mut files = Vec::new();
	if meta.is_dir() {
		walk(path, Path::new(""), &mut files)?;
	} else if meta.is_file() {
		files.push((String::new(), path.to_path_buf()));
	} else {
		bail!("{} is neither a regular file nor a directory", path.display());
	}
	let mut entries = Vec::new();
	let mut bytes = 0;
	for (relative, full) in files {
		bytes += entries_of(&relative, &full, &mut entries)?;
	}
	entries.sort_by(|a, b| a.key().cmp(&b.key()));
	let mut hasher = Sha256::new();
	hasher.update(b"perfledger-manifest/1\n");
	for entry in &entries {
		hasher.update(entry.line().as_bytes());
	}
	Ok(Manifest { digest: hex::encode(hasher.finalize()), entries, bytes })
}

/// The regular files under `dir`, by path relative to the root, in name order.
fn walk(dir: &Path, relative: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<()> {
	let mut children: Vec<_> = std::fs::read_dir(dir)
		.with_context(|| format!("cannot list {}", dir.display()))?
		.collect::<std::io::Result<_>>()?;
	children.sort_by_key(|c| c.file_name());
	for child in children {
		let name = child.file_name();
		let name = name.to_str().with_context(|| {
			format!("{}: a file name that is not UTF-8", child.path().display())
		})?;
		let path = relative.join(name);
		let kind = child.file_type()?;
		if kind.is_symlink() {
			bail!(
				"{} is a symbolic link: copy what it points to into the artifact",
				child.path().display()
			);
		} else if kind.is_dir() {
			walk(&child.path(), &path, out)?;
		} else if kind.is_file() {
			let path = path.to_str().expect("UTF-8 components").replace('\\', "/");
			out.push((path, child.path()));
		}
	}
	Ok(())
}

/// Appends the entries of one file; returns the bytes read.
fn entries_of(relative: &str, full: &Path, entries: &mut Vec<Entry>) -> Result<u64> {
	let is_safetensors = full.extension().is_some_and(|e| e == "safetensors");
	let mut file = File::open(full).with_context(|| format!("cannot open {}", full.display()))?;
	if !is_safetensors {
		let (sha256, size) =
			hash(&mut file, None).with_context(|| format!("cannot read {}", full.display()))?;
		entries.push(Entry::File { path: relative.into(), size, sha256 });
		return Ok(size);
	}
	tensors(relative, full, &mut file, entries)
}

/// The SHA-256 of the next `limit` bytes of `reader` (all of it for `None`), and how many.
fn hash(reader: &mut impl Read, limit: Option<u64>) -> std::io::Result<(String, u64)> {
	let mut hasher = Sha256::new();
	let mut buffer = vec![0u8; BUFFER];
	let mut total = 0u64;
	loop {
		let want = match limit {
			Some(limit) if total >= limit => break,
			Some(limit) => ((limit - total) as usize).min(BUFFER),
			None => BUFFER,
		};
		let read = reader.read(&mut buffer[..want])?;
		if read == 0 {
			break;
		}
		hasher.update(&buffer[..read]);
		total += read as u64;
	}
	Ok((hex::encode(hasher.finalize()), total))
}

#[derive(Deserialize)]
struct TensorInfo {
	dtype: String,
	shape: Vec<u64>,
	data_offsets: (u64, u64),
}

/// The tensor entries of a `.safetensors` file; an error names the file and what is wrong.
fn tensors(relative: &str, full: &Path, file: &mut File, entries: &mut Vec<Entry>) -> Result<u64> {
	let what = || format!("{} is not a valid safetensors file", full.display());
	let size = file.metadata()?.len();
	let mut length = [0u8; 8];
	file.read_exact(&mut length).with_context(what)?;
	let header_len = u64::from_le_bytes(length);
	if header_len > MAX_HEADER || 8 + header_len > size {
		bail!("{}: its header length ({header_len} bytes) runs past the file", what());
	}
	let mut header = vec![0u8; header_len as usize];
	file.read_exact(&mut header).with_context(what)?;
	let header: serde_json::Map<String, serde_json::Value> =
		serde_json::from_slice(&header).with_context(what)?;
	let base = 8 + header_len;
	let mut infos = Vec::new();
	for (name, value) in header {
		if name == "__metadata__" {
			continue;
		}
		let info: TensorInfo = serde_json::from_value(value).with_context(|| {
			format!("{}: tensor {name} has no dtype, shape and data_offsets", what())
		})?;
		let (begin, end) = info.data_offsets;
		if begin > end || base + end > size {
			bail!("{}: tensor {name}'s data ({begin}..{end}) runs past the file", what());
		}
		infos.push((name, info));
	}
	infos.sort_by_key(|(_, info)| info.data_offsets);
	for pair in infos.windows(2) {
		if pair[1].1.data_offsets.0 < pair[0].1.data_offsets.1 {
			bail!("{}: tensors {} and {} overlap", what(), pair[0].0, pair[1].0);
		}
	}
	let mut read = base;
	for (name, info) in infos {
		let (begin, end) = info.data_offsets;
		file.seek(SeekFrom::Start(base + begin))?;
		let (sha256, got) = hash(file, Some(end - begin))?;
		if got != end - begin {
			bail!("{}: tensor {name} is cut short", what());
		}
		read += got;
		entries.push(Entry::Tensor {
			path: relative.into(),
			name,
			dtype: info.dtype,
			shape: info.shape,
			sha256,
		});
	}
	Ok(read)
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A safetensors file with `tensors` (name, dtype, shape, data) in the given order and
	/// `metadata` in its header.
	pub fn safetensors(tensors: &[(&str, &str, &[u64], &[u8])], metadata: &str) -> Vec<u8> {
		let mut header = serde_json::Map::new();
		let mut offset = 0;
		let mut data = Vec::new();
		for (name, dtype, shape, bytes) in tensors {
			header.insert(
				(*name).into(),
				serde_json::json!({"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + bytes.len()]}),
			);
			offset += bytes.len();
			data.extend_from_slice(bytes);
		}
		header.insert("__metadata__".into(), serde_json::json!({ "note": metadata }));
		let header = serde_json::to_vec(&header).unwrap();
		let mut out = (header.len() as u64).to_le_bytes().to_vec();
		out.extend(header);
		out.extend(data);
		out
	}

	#[test]
	fn the_same_weights_keep_their_identity_whatever_the_header_says() {
		let dir = tempfile::tempdir().unwrap();
		let (a, b) = (dir.path().join("a.safetensors"), dir.path().join("b.safetensors"));
		let w: &[u8] = &[1, 2, 3, 4, 5, 6, 7, 8];
		let bias: &[u8] = &[9, 9, 9, 9];
		std::fs::write(
			&a,
			safetensors(&[("w", "F32", &[2], w), ("bias", "F32", &[1], bias)], "run 1"),
		)
		.unwrap();
		std::fs::write(
			&b,
			safetensors(
				&[("bias", "F32", &[1], bias), ("w", "F32", &[2], w)],
				"run 2, saved again",
			),
		)
		.unwrap();
		let (ma, mb) = (of(&a).unwrap(), of(&b).unwrap());
		assert_eq!(ma.digest, mb.digest);
		assert_eq!(ma.entries.len(), 2);
		// One changed byte of one tensor changes the digest, and the difference names it.
		std::fs::write(
			&b,
			safetensors(&[("bias", "F32", &[1], &[9, 9, 9, 8]), ("w", "F32", &[2], w)], ""),
		)
		.unwrap();
		let changed = of(&b).unwrap();
		assert_ne!(changed.digest, ma.digest);
		assert_eq!(changed.differences(&ma), vec!["tensor bias changed".to_string()]);
		// A different shape of the same bytes is a different artifact.
		std::fs::write(
			&b,
			safetensors(&[("bias", "F32", &[1], bias), ("w", "F32", &[1, 2], w)], ""),
		)
		.unwrap();
		assert_ne!(of(&b).unwrap().digest, ma.digest);
	}

	#[test]
	fn a_directory_is_its_files_and_the_digest_follows_the_written_rules() {
		let dir = tempfile::tempdir().unwrap();
		std::fs::create_dir(dir.path().join("sub")).unwrap();
		std::fs::write(dir.path().join("sub/b.txt"), b"bee").unwrap();
		std::fs::write(dir.path().join("a.txt"), b"ay").unwrap();
		let manifest = of(dir.path()).unwrap();
		// Recomputed here from the rules in the module's docs, independently of `of`.
		let sha = |b: &[u8]| hex::encode(Sha256::digest(b));
		let text = format!(
			"perfledger-manifest/1\nF\t\"a.txt\"\t2\t{}\nF\t\"sub/b.txt\"\t3\t{}\n",
			sha(b"ay"),
			sha(b"bee")
		);
		assert_eq!(manifest.digest, sha(text.as_bytes()));
		std::fs::write(dir.path().join("sub/b.txt"), b"bea").unwrap();
		std::fs::write(dir.path().join("c.txt"), b"new").unwrap();
		assert_eq!(
			of(dir.path()).unwrap().differences(&manifest),
			vec!["sub/b.txt changed".to_string(), "c.txt was not in the artifact".to_string()]
		);
		// A single file's path is empty: its name is not part of its identity.
		let single = of(&dir.path().join("a.txt")).unwrap();
		assert_eq!(
			single.digest,
			sha(format!("perfledger-manifest/1\nF\t\"\"\t2\t{}\n", sha(b"ay")).as_bytes())
		);
	}

	#[test]
	fn a_broken_safetensors_file_is_refused_with_what_is_wrong() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("m.safetensors");
		let mut bytes = safetensors(&[("w", "F32", &[2], &[0; 8])], "");
		bytes.truncate(bytes.len() - 1);
		std::fs::write(&path, bytes).unwrap();
		let error = format!("{:#}", of(&path).unwrap_err());
		assert!(error.contains("tensor w's data (0..8) runs past the file"), "{error}");
	}
}
