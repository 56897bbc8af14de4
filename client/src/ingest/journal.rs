//! The journal, `<out>/journal.jsonl`: one line per record or batch on chain that an ingest
//! wrote or found already written, with its id, document and lines of the export (and, for a
//! batch, its file in `<out>/batches/`). Runs append to it; `perfledger proof` finds a line's
//! batch in it, and `perfledger verify ingest` checks everything it lists. Beside it in the
//! output directory: `rejected.jsonl` (rows not written, and why) and `summary.json`.

use super::{writing::Pending, Ingest};
use crate::chain::H256;
use anyhow::{Context, Result};
use serde_json::json;
use std::{
	fs::{self, File, OpenOptions},
	io::Write,
	path::Path,
};

/// Makes the output directory ready: `batches/`, and the journal and `rejected.jsonl` opened
/// to append to, in that order.
pub(super) fn open_output(out: &Path) -> Result<(File, File)> {
	fs::create_dir_all(out.join("batches"))
		.with_context(|| format!("cannot create {}", out.display()))?;
	let append = |name: &str| {
		OpenOptions::new()
			.create(true)
			.append(true)
			.open(out.join(name))
			.with_context(|| format!("cannot write {}", out.join(name).display()))
	};
	Ok((append("journal.jsonl")?, append("rejected.jsonl")?))
}

impl Pending {
	/// Its journal line, once it is record or batch `id` (in `block`, if known).
	pub(super) fn journal_entry(&self, id: u64, block: Option<H256>) -> serde_json::Value {
		match self {
			Pending::Record { line, document, .. } => json!({ "kind": "record", "line": line,
				"document": document, "record": id, "block": block }),
			Pending::Batch { metric, document, file, leaves, lines } => json!({ "kind": "batch",
				"batch": id, "metric": metric, "document": document, "file": file,
				"leaves": leaves, "first_line": lines.0, "last_line": lines.1, "block": block }),
		}
	}
}

impl Ingest {
	/// Appends a line to the journal.
	pub(super) fn journal(&mut self, entry: serde_json::Value) -> Result<()> {
		writeln!(self.journal, "{entry}")?;
		Ok(())
	}
}
