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
	// `mode` applies to a file it creates only: a file that was there keeps its permissions
	// unless they are set again, before the secret is written.
	#[cfg(unix)]
	file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
		.with_context(|| format!("cannot make {} private", path.display()))?;
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

#[cfg(test)]
mod tests {
	use super::*;

	/// A secret written over a file others could read leaves it readable by its owner only.
	#[cfg(unix)]
	#[test]
	fn a_private_file_that_existed_becomes_private() {
		use std::os::unix::fs::PermissionsExt;
		let dir = std::env::temp_dir().join(format!("perfledger-files-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("opening.json");
		std::fs::write(&path, b"{}").unwrap();
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
		let saved = save_private(&dir, "opening.json", &serde_json::json!({ "salt": "secret" }));
		let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
		std::fs::remove_dir_all(&dir).unwrap();
		assert_eq!(saved.unwrap(), path);
		assert_eq!(mode, 0o600);
	}
}
