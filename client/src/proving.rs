//! Proving: a value kept hidden behind a Pedersen commitment, and Bulletproofs threshold
//! claims about it ("at most 48 h") that anyone can check without learning it (`perfledger
//! prove`; its subcommands and output are in `commands/prove.rs`).
//!
//! The value's opening (the value and its blinding) stays with the committer in a private
//! file, saved before the commitment is submitted; a threshold proof ([`ThresholdProof`]) can
//! be given to anyone, who checks it against the value committed on chain.

use crate::{
	chain::{self, runtime, runtime::runtime_types},
	files,
	keys::{self, KeyArgs},
	ledger, submit, validate,
};
use anyhow::{anyhow, bail, Context, Result};
use perfledger_proofs::threshold::{self, Direction};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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
pub struct ThresholdProof {
	pub organization: u32,
	pub metric: u32,
	pub subject: String,
	pub period: u64,
	pub commitment: String,
	pub threshold: i64,
	pub direction: String,
	pub proof: String,
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

/// A value committed, and where its opening is kept.
pub struct CommittedValue {
	/// Its id on chain.
	pub value: u64,
	/// Its Pedersen commitment.
	pub commitment: threshold::Commitment,
	/// Its opening (private).
	pub opening: PathBuf,
}

/// Commits to `value` (a decimal at the metric's scale) of `metric` about `subject` in
/// `period`, with a proof that it is a 64-bit value. The opening is saved in `out` before the
/// commitment is submitted, as `value-pending-<commitment>.json`, then kept as
/// `value-<id>.json`.
pub async fn commit_value(
	url: &str,
	metric: u32,
	subject: String,
	period: u64,
	value: &str,
	out: &Path,
	keys: &KeyArgs,
) -> Result<CommittedValue> {
	use runtime_types::bounded_collections::bounded_vec::BoundedVec;
	let keypair = keys.keypair()?;
	let api = chain::connect(url).await?;
	let at = ledger::finalized(&api).await?;
	let rules = ledger::metric_rules(&at, metric)
		.await?
		.ok_or_else(|| anyhow!("no metric {metric} on chain"))?;
	let amount = validate::parse_decimal(value, rules.scale)
		.map_err(|e| anyhow!("--value `{value}`: {e}"))?;
	let amount =
		i64::try_from(amount).map_err(|_| anyhow!("--value `{value}` does not fit 64 bits"))?;
	let organization =
		ledger::organization_of(&at, &keypair.public_key().to_account_id()).await?.ok_or_else(
			|| anyhow!("the signer {} acts for no organization", keys::address(&keypair)),
		)?;
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
	// The blinding is saved before the commitment is submitted: a crash after it lands must
	// not leave a value nobody can open (its period would be blocked for good).
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
		out,
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
	let path = files::save_private(out, &name, &saved)?;
	std::fs::remove_file(&pending)
		.with_context(|| format!("cannot remove {}", pending.display()))?;
	Ok(CommittedValue { value: committed.value, commitment, opening: path })
}

/// A threshold proof made, and whether the claim was recorded on chain.
pub struct Proven {
	/// The proof, to hand to others.
	pub proof: ThresholdProof,
	/// The value the claim was recorded on chain for (with `--submit`).
	pub recorded: Option<u64>,
}

/// Proves that the value whose opening `commit_value` kept in `file` is `direction` the
/// threshold `text` (a decimal at the metric's scale); with `submit`, also records the claim
/// on chain.
pub async fn prove_threshold(
	url: &str,
	file: &Path,
	text: &str,
	direction: Direction,
	submit: bool,
	keys: &KeyArgs,
) -> Result<Proven> {
	use runtime_types::bounded_collections::bounded_vec::BoundedVec;
	let saved: ValueOpening = files::read_json(file, "a value's opening")?;
	let value_id = saved.value_id.ok_or_else(|| {
		anyhow!(
			"{}: `value_id` is null: the commitment was not seen final. If it landed, \
			 set its value id; otherwise commit again",
			file.display()
		)
	});
	let threshold_value = validate::parse_decimal(text, saved.scale)
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
	let mut recorded = None;
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
		recorded = Some(value_id);
	}
	Ok(Proven { proof: shared, recorded })
}

/// A threshold proof checked against the chain.
pub enum ThresholdCheck {
	/// The organization committed no value of the metric about the subject in the period.
	NoValue { organization: u32, metric: u32, subject: String, period: u64 },
	/// The value it committed for them.
	Checked {
		/// Its id.
		id: u64,
		/// Whether the proof is about this value (its commitment is the one on chain).
		same: bool,
		/// Whether the claim holds: the proof, read from hex (an error if it is not),
		/// verifies against the committed value.
		holds: Result<bool>,
		/// The claim's side and threshold.
		direction: Direction,
		threshold: i64,
	},
}

/// Checks the threshold proof in `file`, received from someone, against the value committed
/// on chain for its organization, metric, subject and period.
pub async fn verify_threshold(url: &str, file: &Path) -> Result<ThresholdCheck> {
	let p: ThresholdProof = files::read_json(file, "a threshold proof")?;
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
		return Ok(ThresholdCheck::NoValue {
			organization: p.organization,
			metric: p.metric,
			subject: p.subject,
			period: p.period,
		});
	};
	let commitment = bytes32(&p.commitment, "the commitment")?;
	let same = committed.commitment == commitment;
	let statement = threshold::statement(p.organization, p.metric, p.subject.as_bytes(), p.period);
	let holds = hex::decode(&p.proof).map_err(|_| anyhow!("the proof is not hex")).map(|bytes| {
		same && threshold::verify_threshold(
			&committed.commitment,
			p.threshold,
			direction,
			&statement,
			&bytes,
		)
		.is_ok()
	});
	Ok(ThresholdCheck::Checked { id, same, holds, direction, threshold: p.threshold })
}
