//! `perfledger proof`: the inclusion proof of the batch row that came from a line of an
//! export, found through the ingest's journal and printed as JSON, for anyone to check
//! (`perfledger verify member`). Batch files and proofs are in `batch.rs`.

use crate::batch;
use anyhow::{anyhow, Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};

/// `perfledger proof`.
#[derive(Args, Debug)]
pub struct ProofArgs {
	/// The export's line.
	#[arg(long)]
	pub line: u64,
	/// The ingest's output directory.
	#[arg(long, default_value = "perfledger-out")]
	pub out: PathBuf,
}

/// Prints the proof of the row from `--line`; an error if no anchored batch holds it.
pub fn run(args: ProofArgs) -> Result<i32> {
	let proof = member_proof(&args.out, args.line)?;
	println!("{}", serde_json::to_string_pretty(&proof)?);
	Ok(0)
}

/// Finds the batch that holds a line of the export in the journal, and proves its row.
fn member_proof(out: &Path, line: u64) -> Result<batch::MemberProof> {
	let path = out.join("journal.jsonl");
	let journal = std::fs::read_to_string(&path)
		.with_context(|| format!("cannot read {}", path.display()))?;
	for entry in journal.lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()) {
		let number = |name: &str| entry.get(name).and_then(|v| v.as_u64());
		let (Some(first), Some(last), Some(id)) =
			(number("first_line"), number("last_line"), number("batch"))
		else {
			continue;
		};
		if !(first..=last).contains(&line) {
			continue;
		}
		let file = entry
			.get("file")
			.and_then(|f| f.as_str())
			.ok_or_else(|| anyhow!("a batch entry without a file"))?;
		let members = batch::read(&out.join(file))?;
		if let Some(index) = members.iter().position(|m| m.line == line) {
			return batch::proof(id, &members, index as u32);
		}
	}
	Err(anyhow!("no anchored batch in {} holds line {line}", path.display()))
}
