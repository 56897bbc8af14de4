//! The commands of `perfledger`, one file each: its flags (a clap `Args`, or a `Subcommand`
//! for a command with subcommands) and its `run`, which calls the domain module beside
//! `commands/`, prints the outcome and returns the exit code.
//!
//! | command | flags and output (here) | what it does (in `client/src/`) |
//! | --- | --- | --- |
//! | `ingest` | `ingest.rs` | `ingest/` |
//! | `proof` | `proof.rs` (finds the batch in the journal) | `batch.rs` |
//! | `verify` | `verify.rs` | `verify.rs` |
//! | `disclose` | `disclose.rs` | `disclosure.rs` |
//! | `prove` | `prove.rs` | `proving.rs` |
//! | `bench` | `bench.rs` | `bench.rs` |
//! | `check` | `check.rs` | `chain.rs` (`connect`) |
//! | `model` | `model.rs` | `attribution.rs`, `manifest.rs` (digests), `cid.rs` (IPFS CIDs) |
//! | `attribution` | `attribution.rs` | `valuation.rs` (scores), `attribution.rs` (rounds) |
//! | `royalties` | `royalties.rs` | `attribution.rs` (pools) |

mod attribution;
mod bench;
mod check;
mod disclose;
mod ingest;
mod model;
mod proof;
mod prove;
mod royalties;
mod verify;

use anyhow::Result;
use clap::Subcommand;

// The commands. (No doc comment: clap would apply it to the program's own help.)
#[derive(Subcommand, Debug)]
pub enum Command {
	/// Reads an export, checks every row, and writes the good ones as records or batches.
	Ingest(crate::ingest::Options),
	/// Prints the inclusion proof of the batch row that came from a line of an export.
	Proof(proof::ProofArgs),
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
	/// Registers licenses and artifacts of shared AI models; verifies and traces them; sells
	/// licenses.
	#[command(subcommand)]
	Model(model::ModelArgs),
	/// Scores a model's contributors and runs the chain's commit-reveal scoring round.
	#[command(subcommand)]
	Attribution(attribution::AttributionArgs),
	/// Shows and claims what models' royalty pools owe; sponsors milestones.
	#[command(subcommand)]
	Royalties(royalties::RoyaltiesArgs),
}

/// Runs a command against the node at `url`; the result is the process's exit code.
pub async fn run(url: &str, command: Command) -> Result<i32> {
	match command {
		Command::Ingest(args) => ingest::run(url, args).await,
		Command::Proof(args) => proof::run(args),
		Command::Verify(args) => verify::run(url, args).await,
		Command::Disclose(args) => disclose::run(url, args).await,
		Command::Prove(args) => prove::run(url, args).await,
		Command::Bench(args) => bench::run(url, args).await,
		Command::Check => check::run(url).await,
		Command::Model(args) => model::run(url, args).await,
		Command::Attribution(args) => attribution::run(url, args).await,
		Command::Royalties(args) => royalties::run(url, args).await,
	}
}
