//! `perfledger`: the integrator's command-line client for a Perfledger chain.
//!
//! - `ingest`: ERP/WMS/TMS exports (CSV, JSON Lines, GS1 EPCIS 2.0) mapped by a TOML file to
//!   records, checked locally, written as records or Merkle-anchored batches, resumable;
//! - `proof`: a batch member's inclusion proof, from an ingest's output directory;
//! - `verify`: records, documents, batch members, a whole ingest or an export, against the
//!   chain;
//! - `disclose` / `prove`: field commitments and disclosures, hidden values and threshold
//!   proofs;
//! - `bench`: the records load generator.
//!
//! The client is generated from the runtime's metadata and refuses a chain whose runtime
//! differs (see `scripts/update-metadata.sh`). Exit codes: 0 success, 1 a failed check or an
//! error, 2 an ingest that left rows unwritten.

mod batch;
mod bench;
mod chain;
mod disclose;
mod files;
mod ingest;
mod keys;
mod ledger;
mod mapping;
mod progress;
mod prove;
mod source;
mod submit;
mod validate;
mod verify;

use anyhow::{anyhow, Context, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "perfledger", version, about = "The Perfledger integrator's client")]
struct Cli {
	/// The node's WebSocket RPC endpoint.
	#[arg(long, env = "PERFLEDGER_URL", default_value = "ws://127.0.0.1:9944", global = true)]
	url: String,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Reads an export, checks every row, and writes the good ones as records or batches.
	Ingest(ingest::IngestArgs),
	/// Prints the inclusion proof of the batch row that came from a line of an export.
	Proof {
		/// The export's line.
		#[arg(long)]
		line: u64,
		/// The ingest's output directory.
		#[arg(long, default_value = "perfledger-out")]
		out: PathBuf,
	},
	/// Checks records, documents, batch members or a whole ingest against the chain.
	#[command(subcommand)]
	Verify(verify::VerifyArgs),
	/// Commits to documents' fields and discloses single fields.
	#[command(subcommand)]
	Disclose(disclose::DiscloseArgs),
	/// Commits hidden values and proves threshold claims about them.
	#[command(subcommand)]
	Prove(prove::ProveArgs),
	/// Measures the chain's records throughput with pre-signed transactions.
	Bench(bench::BenchArgs),
	/// Checks that the chain's runtime matches the metadata the client was generated from.
	Check,
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	let code = match run(cli).await {
		Ok(code) => code,
		Err(e) => {
			eprintln!("error: {e:#}");
			1
		}
	};
	std::process::exit(code);
}

async fn run(cli: Cli) -> Result<i32> {
	let url = cli.url.as_str();
	match cli.command {
		Command::Ingest(args) => ingest::run(url, args).await,
		Command::Proof { line, out } => {
			let proof = member_proof(&out, line)?;
			println!("{}", serde_json::to_string_pretty(&proof)?);
			Ok(0)
		}
		Command::Verify(args) => verify::run(url, args).await,
		Command::Disclose(args) => disclose::run(url, args).await,
		Command::Prove(args) => prove::run(url, args).await,
		Command::Bench(args) => bench::run(url, args).await,
		Command::Check => {
			let api = chain::connect(url).await?;
			let at = ledger::finalized(&api).await?;
			println!(
				"the chain at {url} (spec_version {}, genesis {:?}) matches the client's metadata",
				at.spec_version(),
				api.genesis_hash()
			);
			Ok(0)
		}
	}
}

/// Finds the batch that holds a line of the export in the journal, and proves its row.
fn member_proof(out: &std::path::Path, line: u64) -> Result<batch::MemberProof> {
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
