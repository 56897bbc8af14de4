//! `perfledger bench`: its flags, and the measurement printed as JSON. The load generator is in
//! `bench.rs`; the exit code is 1 if not every record reached a finalized block.

use crate::bench;
use anyhow::Result;
use clap::Args;

/// `perfledger bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
	/// How many records.
	#[arg(long, default_value_t = 10_000)]
	pub records: u64,
	/// The signers' secret URIs (each must hold a reporting role); by default the dev chain's
	/// three reporters, `//Alice//stash`, `//Bob//stash`, `//Charlie//stash` (well-known keys).
	#[arg(long = "signer")]
	pub signers: Vec<String>,
	/// The metric (integer or decimal; values are written at its scale).
	#[arg(long, default_value_t = 1)]
	pub metric: u32,
	/// Transactions sent at once.
	#[arg(long, default_value_t = 512)]
	pub concurrency: usize,
	/// Give up waiting after this many finalized blocks without a new record.
	#[arg(long, default_value_t = 20)]
	pub idle_blocks: u32,
}

/// Runs the benchmark and prints what it measured.
pub async fn run(url: &str, args: BenchArgs) -> Result<i32> {
	let outcome = bench::measure(
		url,
		args.records,
		args.signers,
		args.metric,
		args.concurrency,
		args.idle_blocks,
	)
	.await?;
	println!("{}", serde_json::to_string_pretty(&outcome.report)?);
	Ok(if outcome.finalized == args.records { 0 } else { 1 })
}
