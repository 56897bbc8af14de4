//! `perfledger ingest`: the report printed when the run ends, and its exit code. The flags are
//! [`ingest::Options`]; the import itself (reading, checking, writing, the journal) is in `ingest/`.

use crate::ingest::{self, Options, Summary};
use anyhow::Result;
use std::path::Path;

/// Runs an import; the exit code is 0 if every row was written or already on chain, 2 if
/// some were rejected, refused or not sent.
pub async fn run(url: &str, options: Options) -> Result<i32> {
	let name = options.file.display().to_string();
	let journal = options.out.join("journal.jsonl");
	let summary = ingest::run(url, options).await?;
	print(&name, &summary, &journal);
	let s = &summary;
	let clean = s.rejected + s.refused_by_chain == 0
		&& (s.dry_run || s.not_sent == 0)
		&& s.interrupted_before_line.is_none();
	Ok(if clean { 0 } else { 2 })
}

/// Prints what a run of `file` did (its summary), and where its journal is.
fn print(file: &str, s: &Summary, journal: &Path) {
	let verb = if s.dry_run { "would write (dry run, nothing signed)" } else { "written" };
	println!("ingest {} ({} mode)", file, s.mode);
	println!("  rows read:           {} ({} skipped by the filter)", s.rows, s.skipped_by_filter);
	println!(
		"  time:                {:.1} s to read, check and hash ({:.0} rows/s); {:.1} s in all, to finality",
		s.read_seconds,
		s.rows as f64 / s.read_seconds.max(1e-9),
		s.seconds
	);
	if s.dry_run {
		println!("  {verb}: {} rows", s.not_sent);
	} else {
		println!(
			"  written now:         {} records, {} batch(es) holding {} rows",
			s.records_written, s.batches_written, s.batch_rows_written
		);
	}
	println!(
		"  already on chain:    {} records, {} batch(es) holding {} rows (not written again)",
		s.records_already_on_chain, s.batches_already_on_chain, s.batch_rows_already_on_chain
	);
	println!("  rejected locally:    {} rows (listed above, and in rejected.jsonl)", s.rejected);
	println!("  refused by chain:    {} rows", s.refused_by_chain);
	if !s.dry_run {
		println!("  not sent:            {} rows", s.not_sent);
	}
	if let Some(line) = s.interrupted_before_line {
		println!("  interrupted: rows from line {line} on were not read; run again to resume");
	}
	if let Some(reason) = &s.stopped {
		println!("  stopped sending after: {reason}; run again to resume");
	}
	println!("  journal: {}", journal.display());
}
