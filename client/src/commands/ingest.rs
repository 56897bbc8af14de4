//! `perfledger ingest`: its flags, and the report printed when the run ends. The import itself
//! (reading, checking, writing, the journal) is in `ingest/`.

use crate::{
	ingest::{self, Mode, Options, Summary},
	keys::KeyArgs,
};
use anyhow::Result;
use clap::Args;
use std::path::{Path, PathBuf};

/// `perfledger ingest`.
#[derive(Args, Debug)]
pub struct IngestArgs {
	/// The export: CSV, JSON Lines or EPCIS 2.0 JSON, as the mapping says.
	pub file: PathBuf,
	/// The mapping file (TOML).
	#[arg(long)]
	pub mapping: PathBuf,
	/// Where batch files, the journal and the summary are kept.
	#[arg(long, default_value = "perfledger-out")]
	pub out: PathBuf,
	/// Records, batches, or chosen by volume.
	#[arg(long, value_enum, default_value = "auto")]
	pub mode: Mode,
	/// In auto mode, more valid rows than this are written as batches.
	#[arg(long, default_value_t = 1000)]
	pub batch_threshold: usize,
	/// Rows per batch (at most; the last batch of each metric may hold fewer).
	#[arg(long, default_value_t = 10_000)]
	pub batch_size: usize,
	/// Where the batch files will be published: a batch's URI is this followed by its file
	/// name. By default `file:batches/<file>`.
	#[arg(long)]
	pub uri_base: Option<String>,
	/// Check everything and say what would be written; sign and send nothing.
	#[arg(long)]
	pub dry_run: bool,
	/// At most this many transactions waiting for finality at once (a node takes at most
	/// 1,024 subscriptions per connection).
	#[arg(long, default_value_t = 1000)]
	pub in_flight: usize,
	#[command(flatten)]
	pub keys: KeyArgs,
}

/// Runs an import; the exit code is 0 if every row was written or already on chain, 2 if
/// some were rejected, refused or not sent.
pub async fn run(url: &str, args: IngestArgs) -> Result<i32> {
	let IngestArgs {
		file,
		mapping,
		out,
		mode,
		batch_threshold,
		batch_size,
		uri_base,
		dry_run,
		in_flight,
		keys,
	} = args;
	let name = file.display().to_string();
	let journal = out.join("journal.jsonl");
	let options = Options {
		file,
		mapping,
		out,
		mode,
		batch_threshold,
		batch_size,
		uri_base,
		dry_run,
		in_flight,
		keys,
	};
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
