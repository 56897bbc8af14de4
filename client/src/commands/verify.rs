//! `perfledger verify`: what to verify, and the tally. The checks, each printed `ok` or `FAIL`
//! as it is made, are in `verify.rs`; any failure makes the exit code 1.

use crate::{
	batch::MemberProof,
	chain, ledger,
	verify::{self, Report},
};
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;

/// What to verify.
#[derive(Subcommand, Debug)]
pub enum VerifyArgs {
	/// A record by id: its hash, its stream's hash links and its device signature.
	Record { id: u64 },
	/// A document file: it is on chain as a record's or a batch's document.
	Document { file: PathBuf },
	/// A batch member with its proof (the JSON `perfledger proof` prints).
	Member { proof: PathBuf },
	/// Everything an ingest wrote: every record and every member of every batch in its
	/// output directory.
	Ingest {
		#[arg(default_value = "perfledger-out")]
		out: PathBuf,
	},
	/// An export against the chain: every row mapped as ingest does, found on chain with the
	/// same metric, subject, value and time (batch rows through the output directory).
	Rows {
		file: PathBuf,
		#[arg(long)]
		mapping: PathBuf,
		#[arg(long, default_value = "perfledger-out")]
		out: PathBuf,
		/// The organization whose rows these are (its id): only its records and batches count.
		/// Without it, a row counts as on chain if any organization's record holds it.
		#[arg(long)]
		organization: Option<u32>,
	},
}

/// Runs a verification; the exit code is 1 if any check failed.
pub async fn run(url: &str, args: VerifyArgs) -> Result<i32> {
	let api = chain::connect(url).await?;
	let at = ledger::finalized(&api).await?;
	let mut report = Report::default();
	match args {
		VerifyArgs::Record { id } => verify::verify_record(&api, &at, id, &mut report).await?,
		VerifyArgs::Document { file } => {
			verify::verify_document(&api, &at, &file, &mut report).await?
		}
		VerifyArgs::Member { proof } => {
			let text = std::fs::read_to_string(&proof)
				.with_context(|| format!("cannot read {}", proof.display()))?;
			let proof: MemberProof = serde_json::from_str(&text)
				.with_context(|| format!("{} is not a member proof", proof.display()))?;
			verify::verify_member(&at, &proof, &mut report).await?;
		}
		VerifyArgs::Ingest { out } => {
			report.quiet = true;
			verify::verify_ingest(&api, &at, &out, &mut report).await?;
		}
		VerifyArgs::Rows { file, mapping, out, organization } => {
			report.quiet = true;
			verify::verify_rows(&at, &file, &mapping, &out, organization, &mut report).await?;
		}
	}
	println!("{} checks passed, {} failed", report.passed, report.failed);
	Ok(if report.failed == 0 { 0 } else { 1 })
}
