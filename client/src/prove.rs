//! `perfledger prove`: a value kept hidden behind a Pedersen commitment, and Bulletproofs
//! threshold claims about it ("at most 48 h") that anyone can check without learning it.

use crate::{
	chain::{self, runtime, runtime::runtime_types},
	files,
	keys::{self, KeyArgs},
	ledger, submit, validate,
};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use perfledger_proofs::threshold::{self, Direction};
use serde::{Deserialize, Serialize};
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

/// What opens a committed value. Secret.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValueOpening {
	/// The value's id on chain; `null` in the file saved before submitting, until the
	/// commitment is seen final.
	value_id: Option<u64>,
	organization: u32,
	metric: u32,
	subject: String,
	period: u64,
	/// The metric's scale: the value and thresholds are in units of 10^-scale.
	scale: u8,
	value: i64,
	blinding: String,
}

/// A threshold proof as handed to others.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdProof {
	organization: u32,
	metric: u32,
	subject: String,
	period: u64,
	commitment: String,
	threshold: i64,
	direction: String,
	proof: String,
}

fn to_runtime(direction: Direction) -> runtime_types::perfledger_proofs::threshold::Direction {
	match direction {
		Direction::AtMost => runtime_types::perfledger_proofs::threshold::Direction::AtMost,
		Direction::AtLeast => runtime_types::perfledger_proofs::threshold::Direction::AtLeast,
	}
}

fn bytes32(hex_text: &str, what: &str) -> Result<[u8; 32]> {
	hex::decode(hex_text.trim_start_matches("0x"))
		.ok()
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| anyhow!("{what} is not 32 bytes of hex"))
}

pub async fn run(url: &str, args: ProveArgs) -> Result<i32> {
	use runtime_types::bounded_collections::bounded_vec::BoundedVec;
	match args {
		ProveArgs::Commit { metric, subject, period, value, out, keys } => {
			let keypair = keys.keypair()?;
			let api = chain::connect(url).await?;
			let at = ledger::finalized(&api).await?;
			let rules = ledger::metric_rules(&at, metric)
				.await?
				.ok_or_else(|| anyhow!("no metric {metric} on chain"))?;
			let amount = validate::parse_decimal(&value, rules.scale)
				.map_err(|e| anyhow!("--value `{value}`: {e}"))?;
			let amount = i64::try_from(amount)
				.map_err(|_| anyhow!("--value `{value}` does not fit 64 bits"))?;
			let organization = ledger::organization_of(&at, &keypair.public_key().to_account_id())
				.await?
				.ok_or_else(|| {
					anyhow!("the signer {} acts for no organization", keys::address(&keypair))
				})?;
			let statement = threshold::statement(organization, metric, subject.as_bytes(), period);
			let opening = threshold::Opening::new(amount, &mut perfledger_proofs::OsRng);
			let commitment = opening.commitment().map_err(|e| anyhow!("{e:?}"))?;
			let proof = threshold::prove_value(&opening, &statement, &mut perfledger_proofs::OsRng)
				.map_err(|e| anyhow!("{e:?}"))?;
			let call = runtime::tx().disclosure().commit_value(
				metric,
				BoundedVec(subject.clone().into_bytes()),
				period,
				commitment,
				BoundedVec(proof),
				None,
			);
			// The blinding is saved before the commitment is submitted: a crash after it lands
			// must not leave a value nobody can open (its period would be blocked for good).
			let mut saved = ValueOpening {
				value_id: None,
				organization,
				metric,
				subject,
				period,
				scale: rules.scale,
				value: amount,
				blinding: hex::encode(opening.blinding),
			};
			let pending = files::save_private(
				&out,
				&format!("value-pending-{}.json", hex::encode(commitment)),
				&saved,
			)?;
			let committed: runtime::disclosure::events::ValueCommitted =
				submit::send_for(&api, &keypair, &call).await.with_context(|| {
					format!(
						"commit_value (its opening stays in {}: if the commitment landed after \
						 all, set its value id as `value_id`)",
						pending.display()
					)
				})?;
			saved.value_id = Some(committed.value);
			let name = format!("value-{}.json", committed.value);
			let path = files::save_private(&out, &name, &saved)?;
			std::fs::remove_file(&pending)
				.with_context(|| format!("cannot remove {}", pending.display()))?;
			println!(
				"value {} committed ({}); opening kept in {}",
				committed.value,
				hex::encode(commitment),
				path.display()
			);
			Ok(0)
		}
		ProveArgs::Threshold { opening, claim, submit, keys } => {
			let saved: ValueOpening = files::read_json(&opening, "a value's opening")?;
			let value_id = saved.value_id.ok_or_else(|| {
				anyhow!(
					"{}: `value_id` is null: the commitment was not seen final. If it landed, \
					 set its value id; otherwise commit again",
					opening.display()
				)
			});
			let (text, direction) = match (claim.at_most, claim.at_least) {
				(Some(t), None) => (t, Direction::AtMost),
				(None, Some(t)) => (t, Direction::AtLeast),
				_ => bail!("give one of --at-most or --at-least"),
			};
			let threshold_value = validate::parse_decimal(&text, saved.scale)
				.map_err(|e| anyhow!("threshold `{text}`: {e}"))
				.and_then(|t| {
					i64::try_from(t).map_err(|_| anyhow!("threshold `{text}` does not fit 64 bits"))
				})?;
			let opening = threshold::Opening {
				value: saved.value,
				blinding: bytes32(&saved.blinding, "the blinding")?,
			};
			let statement = threshold::statement(
				saved.organization,
				saved.metric,
				saved.subject.as_bytes(),
				saved.period,
			);
			let proof = threshold::prove_threshold(
				&opening,
				threshold_value,
				direction,
				&statement,
				&mut perfledger_proofs::OsRng,
			)
			.map_err(|e| match e {
				threshold::ProofError::ClaimFalse => {
					anyhow!("the claim is false: the committed value is not {direction:?} {text}")
				}
				other => anyhow!("{other:?}"),
			})?;
			let shared = ThresholdProof {
				organization: saved.organization,
				metric: saved.metric,
				subject: saved.subject.clone(),
				period: saved.period,
				commitment: hex::encode(opening.commitment().map_err(|e| anyhow!("{e:?}"))?),
				threshold: threshold_value,
				direction: format!("{direction:?}"),
				proof: hex::encode(&proof),
			};
			if submit {
				let keypair = keys.keypair()?;
				let api = chain::connect(url).await?;
				let value_id = value_id?;
				let call = runtime::tx().disclosure().prove_threshold(
					value_id,
					threshold_value,
					to_runtime(direction),
					BoundedVec(proof),
				);
				submit::send(&api, &keypair, &call).await.context("prove_threshold")?;
				eprintln!(
					"claim recorded on chain: value {value_id} {direction:?} {threshold_value}"
				);
			}
			println!("{}", serde_json::to_string_pretty(&shared)?);
			Ok(0)
		}
		ProveArgs::Verify { proof } => {
			let p: ThresholdProof = files::read_json(&proof, "a threshold proof")?;
			let direction = match p.direction.as_str() {
				"AtMost" => Direction::AtMost,
				"AtLeast" => Direction::AtLeast,
				other => bail!("direction `{other}` is neither AtMost nor AtLeast"),
			};
			let api = chain::connect(url).await?;
			let at = ledger::finalized(&api).await?;
			let call = runtime::runtime_apis().disclosure_api().committed_value(
				p.organization,
				p.metric,
				p.subject.clone().into_bytes(),
				p.period,
			);
			let Some((id, committed, _range)) = at.runtime_apis().call(call).await? else {
				println!(
					"FAIL  organization {} committed no value of metric {} about {} in period {}",
					p.organization, p.metric, p.subject, p.period
				);
				return Ok(1);
			};
			let commitment = bytes32(&p.commitment, "the commitment")?;
			let same = committed.commitment == commitment;
			println!(
				"{}  the proof is about value {id}, committed on chain",
				if same { "ok  " } else { "FAIL" }
			);
			let statement =
				threshold::statement(p.organization, p.metric, p.subject.as_bytes(), p.period);
			let bytes = hex::decode(&p.proof).map_err(|_| anyhow!("the proof is not hex"))?;
			let holds = same
				&& threshold::verify_threshold(
					&committed.commitment,
					p.threshold,
					direction,
					&statement,
					&bytes,
				)
				.is_ok();
			println!(
				"{}  value {id} is {direction:?} {}",
				if holds { "ok  " } else { "FAIL" },
				p.threshold
			);
			Ok(if holds { 0 } else { 1 })
		}
	}
}
