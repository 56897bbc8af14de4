//! The client's own files: JSON it reads back (openings, disclosures, proofs), and private
//! files only their owner may read.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Reads a JSON file; an error names the file and what it should have been.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
	let text =
		std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
	serde_json::from_str(&text).with_context(|| format!("{} is not {what}", path.display()))
}

/// Writes a file only its owner can read (salts, blindings: what opens a commitment).
fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
	use std::io::Write;
	let mut options = std::fs::OpenOptions::new();
	options.write(true).create(true).truncate(true);
	#[cfg(unix)]
	std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
	let mut file =
		options.open(path).with_context(|| format!("cannot write {}", path.display()))?;
	file.write_all(contents)?;
	Ok(())
}

/// Saves `value` as `<dir>/<name>` in pretty JSON, readable by its owner only (creating the
/// directory), and returns the path.
pub fn save_private(dir: &Path, name: &str, value: &impl serde::Serialize) -> Result<PathBuf> {
	std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
	let path = dir.join(name);
	write_private(&path, &serde_json::to_vec_pretty(value)?)?;
	Ok(path)
}
