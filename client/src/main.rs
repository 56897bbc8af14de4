//! `perfledger`: the integrator's command-line client for a Perfledger chain.
//!
//! - `ingest`: ERP/WMS/TMS exports (CSV, JSON Lines, GS1 EPCIS 2.0) mapped by a TOML file to
//!   records, checked locally, written as records or Merkle-anchored batches, resumable;
//! - `proof`: a batch member's inclusion proof, from an ingest's output directory;
//! - `verify`: records, documents, batch members, a whole ingest or an export, against the
//!   chain;
//! - `disclose` / `prove`: field commitments and disclosures, hidden values and threshold
//!   proofs;
//! - `bench`: the records load generator;
//! - `check`: whether the chain's runtime is the one the client was generated from;
//! - `model`: licenses and artifacts of shared AI models (commit, verify, lineage), license
//!   sales; `attribution`: contributors' scores (exact Shapley, KNN-Shapley) and the chain's
//!   commit-reveal rounds; `royalties`: what models' pools owe, claims, milestones.
//!
//! The client is generated from the runtime's metadata and refuses a chain whose runtime
//! differs (see `scripts/update-metadata.sh`). Exit codes: 0 success, 1 a failed check or an
//! error, 2 an ingest that left rows unwritten.
//!
//! ## Where is what
//!
//! - `commands/`: one file per command, each its flags (`Args`) and its `run`, which prints
//!   the outcome and picks the exit code; `commands/mod.rs` lists the commands.
//! - What the commands do, beside them: `ingest/` (reading, checking, writing, the journal),
//!   `verify.rs`, `disclosure.rs` (field commitments and disclosures), `proving.rs` (hidden
//!   values and threshold proofs), `bench.rs` (the load generator), and `batch.rs` (batch
//!   files and member proofs).
//! - What they share: `validate.rs` (a row checked by the runtime's rules), `mapping.rs` (the
//!   mapping file), `source.rs` (an export's rows), `chain.rs` (the generated interface and a
//!   checked connection), `ledger.rs` (what is read from the chain), `submit.rs` (signing and
//!   sending), `keys.rs` (signing keys), `files.rs` (the client's own files), `progress.rs`.

mod attribution;
mod batch;
mod bench;
mod chain;
mod cid;
mod commands;
mod disclosure;
mod files;
mod ingest;
mod keys;
mod ledger;
mod manifest;
mod mapping;
mod progress;
mod proving;
mod source;
mod submit;
mod validate;
mod valuation;
mod verify;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(name = "perfledger", version, about = "The Perfledger integrator's client")]
struct Cli {
	/// The node's WebSocket RPC endpoint.
	#[arg(long, env = "PERFLEDGER_URL", default_value = "ws://127.0.0.1:9944", global = true)]
	url: String,
	#[command(subcommand)]
	command: commands::Command,
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	let code = match commands::run(&cli.url, cli.command).await {
		Ok(code) => code,
		Err(e) => {
			eprintln!("error: {e:#}");
			1
		}
	};
	std::process::exit(code);
}
