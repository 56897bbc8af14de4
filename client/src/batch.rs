//! Batch files and member proofs: a batch's rows as kept in `<out>/batches/<document>.jsonl`,
//! and the proof that one row is in an anchored batch, which can be handed to anyone.

use crate::{chain::H256, validate::Entry};
use anyhow::{anyhow, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One row of a batch file: everything its leaf is computed from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
	/// The line of the export it came from.
	pub line: u64,
	pub metric: u32,
	pub subject: String,
	/// The value in the metric's smallest unit (a string: it may exceed JSON's safe integers).
	pub amount: String,
	pub scale: u8,
	pub time: u64,
	pub document: H256,
}

impl From<&Entry> for Member {
	fn from(entry: &Entry) -> Self {
		Member {
			line: entry.line,
			metric: entry.metric,
			subject: String::from_utf8_lossy(&entry.subject).into_owned(),
			amount: entry.amount.to_string(),
			scale: entry.scale,
			time: entry.time,
			document: entry.document,
		}
	}
}

impl Member {
	/// The leaf this row makes.
	pub fn leaf(&self) -> Result<H256> {
		let amount = self
			.amount
			.parse::<i128>()
			.map_err(|_| anyhow!("amount `{}` is not a whole number", self.amount))?;
		let entry = Entry {
			line: self.line,
			metric: self.metric,
			subject: self.subject.clone().into_bytes(),
			amount,
			scale: self.scale,
			time: self.time,
			document: self.document,
			signed: None,
		};
		Ok(entry.leaf())
	}
}

/// The proof that a row is member `index` of batch `batch`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberProof {
	pub batch: u64,
	pub index: u32,
	pub leaves: u32,
	pub member: Member,
	pub proof: Vec<H256>,
}

/// A batch file's rows, in order. A line that is not a member is an error naming it.
pub fn read(path: &Path) -> Result<Vec<Member>> {
	let text =
		std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
	text.lines()
		.enumerate()
		.map(|(i, line)| {
			serde_json::from_str(line)
				.with_context(|| format!("{}:{}: not a batch member", path.display(), i + 1))
		})
		.collect()
}

/// The leaves of a batch file's rows.
pub fn leaves(members: &[Member]) -> Result<Vec<H256>> {
	members.iter().map(Member::leaf).collect()
}

/// The proof of member `index` of a batch with these members.
pub fn proof(batch: u64, members: &[Member], index: u32) -> Result<MemberProof> {
	let leaves = leaves(members)?;
	let proof = perfledger_proofs::merkle::proof(&leaves, index).ok_or_else(|| {
		anyhow!("the batch has {} members; there is no member {index}", members.len())
	})?;
	Ok(MemberProof {
		batch,
		index,
		leaves: members.len() as u32,
		member: members[index as usize].clone(),
		proof,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_member_proof_holds_for_its_row_only() {
		let members: Vec<Member> = (0..5)
			.map(|i| Member {
				line: i + 2,
				metric: 2,
				subject: format!("sscc:{i}"),
				amount: (40 + i).to_string(),
				scale: 1,
				time: 1_795_163_400_000 + i,
				document: H256::repeat_byte(i as u8),
			})
			.collect();
		let root = perfledger_proofs::merkle::root(&leaves(&members).unwrap()).unwrap();
		let proof = proof(7, &members, 3).unwrap();
		let check = |p: &MemberProof| {
			perfledger_proofs::merkle::verify(
				&root,
				p.leaves,
				p.index,
				&p.member.leaf().unwrap(),
				&p.proof,
			)
		};
		assert!(check(&proof));
		let mut tampered = proof.clone();
		tampered.member.amount = "44".into();
		assert!(!check(&tampered), "another value is another leaf");
		let mut moved = proof.clone();
		moved.index = 2;
		assert!(!check(&moved));
		assert!(super::proof(7, &members, 5).is_err());
	}
}
