//! `perfledger prove`: its subcommands, and what each prints. The commitments and threshold
//! proofs themselves are made and checked in `proving.rs`.

use crate::{
	keys::KeyArgs,
	proving::{self, ThresholdCheck},
};
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use perfledger_proofs::threshold::Direction;
use std::path::PathBuf;

/// Threshold-proof commands.
#[derive(Subcommand, Debug)]
pub enum ProveArgs {
	/// Commits to a value of a metric about a subject in a period, with a proof that it is a
	/// 64-bit value; keeps the opening in `<out>/value-<id>.json` (private). The opening is
	/// saved first (`value-pending-<commitment>.json`), then the commitment submitted.
	Commit {
		#[arg(long)]
		metric: u32,
		#[arg(long)]
		subject: String,
		/// The reporting period (the time divided by the metric's period).
		#[arg(long)]
		period: u64,
		/// The value, as a decimal at the metric's scale.
		#[arg(long)]
		value: String,
		#[arg(long, default_value = "perfledger-out")]
		out: PathBuf,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Proves a threshold claim about a committed value and prints the proof; `--submit`
	/// also records the claim on chain.
	Threshold {
		/// The opening `commit` wrote.
		opening: PathBuf,
		#[command(flatten)]
		claim: ClaimArgs,
		#[arg(long)]
		submit: bool,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Checks a threshold proof received from someone against the chain's commitment.
	Verify { proof: PathBuf },
}

/// A claim's threshold and side, as a decimal at the metric's scale.
#[derive(Args, Debug)]
#[group(required = true, multiple = false)]
pub struct ClaimArgs {
	/// The value is at most this.
	#[arg(long)]
	at_most: Option<String>,
	/// The value is at least this.
	#[arg(long)]
	at_least: Option<String>,
}

/// Runs a threshold-proof command; the exit code is 1 if a proof does not check.
pub async fn run(url: &str, args: ProveArgs) -> Result<i32> {
	match args {
		ProveArgs::Commit { metric, subject, period, value, out, keys } => {
			let committed =
				proving::commit_value(url, metric, subject, period, &value, &out, &keys).await?;
			println!(
				"value {} committed ({}); opening kept in {}",
				committed.value,
				hex::encode(committed.commitment),
				committed.opening.display()
			);
			Ok(0)
		}
		ProveArgs::Threshold { opening, claim, submit, keys } => {
			let (text, direction) = match (claim.at_most, claim.at_least) {
				(Some(t), None) => (t, Direction::AtMost),
				(None, Some(t)) => (t, Direction::AtLeast),
				_ => bail!("give one of --at-most or --at-least"),
			};
			let proven =
				proving::prove_threshold(url, &opening, &text, direction, submit, &keys).await?;
			if let Some(value_id) = proven.recorded {
				eprintln!(
					"claim recorded on chain: value {value_id} {direction:?} {}",
					proven.proof.threshold
				);
			}
			println!("{}", serde_json::to_string_pretty(&proven.proof)?);
			Ok(0)
		}
		ProveArgs::Verify { proof } => match proving::verify_threshold(url, &proof).await? {
			ThresholdCheck::NoValue { organization, metric, subject, period } => {
				println!(
					"FAIL  organization {organization} committed no value of metric {metric} about {subject} in period {period}"
				);
				Ok(1)
			}
			ThresholdCheck::Checked { id, same, holds, direction, threshold } => {
				println!(
					"{}  the proof is about value {id}, committed on chain",
					if same { "ok  " } else { "FAIL" }
				);
				let holds = holds?;
				println!(
					"{}  value {id} is {direction:?} {threshold}",
					if holds { "ok  " } else { "FAIL" }
				);
				Ok(if holds { 0 } else { 1 })
			}
		},
	}
}
