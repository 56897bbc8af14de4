//! `perfledger royalties`: what a model's pool owes an account, claiming it, and sponsoring a
//! milestone. On chain: `attribution.rs`.

use crate::{attribution, chain::runtime, keys::KeyArgs};
use anyhow::{anyhow, Result};
use clap::Subcommand;
use std::str::FromStr;
use subxt::utils::AccountId32;

/// Royalty commands.
#[derive(Subcommand, Debug)]
pub enum RoyaltiesArgs {
	/// Shows what a model's pool owes an account (the signer's, or --account), and its totals.
	Status {
		model: u64,
		#[arg(long)]
		account: Option<String>,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Claims what a model's pool owes an account (the signer's, or --account: the money goes
	/// to that account whoever signs).
	Claim {
		model: u64,
		#[arg(long)]
		account: Option<String>,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Escrows a reward released into a model's pool when `--reporter`'s record of `--metric`
	/// about the model reaches `--threshold` (in the metric's smallest unit).
	Sponsor {
		model: u64,
		#[arg(long)]
		metric: u32,
		#[arg(long)]
		reporter: u32,
		#[arg(long)]
		threshold: i128,
		/// The record's value must be at most the threshold (a loss), not at least.
		#[arg(long)]
		at_most: bool,
		#[arg(long)]
		reward: u128,
		/// The last block it waits for.
		#[arg(long)]
		expires_at: u32,
		#[command(flatten)]
		keys: KeyArgs,
	},
}

fn account(given: Option<String>, keys: &KeyArgs) -> Result<AccountId32> {
	match given {
		Some(text) => AccountId32::from_str(&text).map_err(|e| anyhow!("--account {text}: {e}")),
		None => Ok(keys.keypair()?.public_key().to_account_id()),
	}
}

/// Runs a royalties command.
pub async fn run(url: &str, args: RoyaltiesArgs) -> Result<i32> {
	match args {
		RoyaltiesArgs::Status { model, account: given, keys } => {
			let who = account(given, &keys)?;
			let Some(status) = attribution::status(url, model, &who).await? else {
				println!("model {model} has no pool (no final scores)");
				return Ok(1);
			};
			println!(
				"model {model}: {} paid in, {} claimed; {who} has {} and may claim {}",
				status.paid,
				status.claimed,
				status.points.map_or("no points".to_string(), |p| format!("{p} points")),
				status.claimable
			);
			Ok(0)
		}
		RoyaltiesArgs::Claim { model, account: given, keys } => {
			let who = account(given, &keys)?;
			let call = runtime::tx().attribution().claim(model, who);
			let event: runtime::attribution::events::Claimed =
				attribution::send(url, &keys, &call).await?;
			println!("claimed {} from model {model}'s pool for {}", event.amount, event.who);
			Ok(0)
		}
		RoyaltiesArgs::Sponsor {
			model,
			metric,
			reporter,
			threshold,
			at_most,
			reward,
			expires_at,
			keys,
		} => {
			let crossing = if at_most {
				attribution::Crossing::AtMost
			} else {
				attribution::Crossing::AtLeast
			};
			let call = runtime::tx().attribution().sponsor_milestone(
				model, metric, reporter, threshold, crossing, reward, expires_at,
			);
			let event: runtime::attribution::events::MilestoneSponsored =
				attribution::send(url, &keys, &call).await?;
			println!(
				"milestone {} for model {model}: {reward} escrowed until block {expires_at}; subject of its records: {}",
				event.milestone,
				String::from_utf8_lossy(&model_subject(model))
			);
			Ok(0)
		}
	}
}

/// The subject of a model's records: `artifact:<id>` (the pallet's `model_subject`).
pub fn model_subject(model: u64) -> Vec<u8> {
	format!("artifact:{model}").into_bytes()
}
