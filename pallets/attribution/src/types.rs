//! Every type the attribution pallet stores or takes in calls and events. Their module path is
//! part of the runtime metadata, so they stay here.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::{arithmetic::Permill, prelude::*};
use perfledger_primitives::{MetricId, OrganizationId};
use scale_info::TypeInfo;

/// An artifact: a contribution to a shared model, by registration order.
pub type ArtifactId = u64;

/// License terms, by registration order.
pub type LicenseId = u32;

/// A sponsor's milestone, by registration order.
pub type MilestoneId = u64;

/// The points a model's final scores add up to: each scored contributor's share of what the
/// pool pays to contributors is its points out of this many.
pub const POINTS: u32 = 1_000_000;

/// What an artifact is.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ArtifactKind {
	/// Training, fine-tuning or evaluation data.
	Dataset,
	/// A model's weights: a model, as far as this pallet is concerned. Only checkpoints are
	/// scored, licensed and sponsored.
	Checkpoint,
	/// Source code, such as a commit of a training pipeline or a feature pipeline.
	Code,
	/// The configuration of a training or fine-tuning run (hyperparameters, a search's result).
	Config,
	/// An evaluation: its code, data and results.
	Evaluation,
}

/// What license terms allow, and the royalty their owner takes.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct LicenseTerms {
	/// Whether anything but an evaluation may descend from an artifact under these terms.
	pub derivatives: bool,
	/// Whether a checkpoint may descend from it (be trained on it, directly or not).
	pub training: bool,
	/// Whether a model descending from it may be licensed for a fee.
	pub commercial: bool,
	/// The share of every payment into a descendant model's royalty pool that goes to the
	/// contributor of the artifact under these terms, before the model's contributors are paid.
	pub royalty: Permill,
}

/// License terms as registered.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct License<AccountId, BlockNumber> {
	/// What they allow.
	pub terms: LicenseTerms,
	/// The digest of the legal text (off chain).
	pub document: H256,
	/// Who registered them.
	pub registrar: AccountId,
	/// The organization it acted for.
	pub organization: OrganizationId,
	/// When.
	pub registered_at: BlockNumber,
}

/// A registered artifact.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Artifact<AccountId, Uri, Parents, BlockNumber> {
	/// What it is.
	pub kind: ArtifactKind,
	/// Its manifest digest (SHA-256; see the client's `model commit` for how it is computed):
	/// unique on chain.
	pub digest: H256,
	/// Where the bytes live: an IPFS CIDv1 or an Arweave id, as given.
	pub uri: Uri,
	/// The account that registered it, to which its royalties and scores are paid.
	pub contributor: AccountId,
	/// The organization the contributor acted for.
	pub organization: OrganizationId,
	/// The terms it comes under.
	pub license: LicenseId,
	/// What it was made from, such as a checkpoint's parent checkpoint, its datasets and code.
	pub parents: Parents,
	/// The block it was registered in.
	pub registered_at: BlockNumber,
	/// The time it was registered (ms since the Unix epoch).
	pub time: u64,
	/// The longest path to an artifact with no parents (0 for one).
	pub depth: u32,
}

/// The nearest artifacts, the artifact itself included, whose terms forbid something to its
/// descendants. Each is kept through the whole lineage, so that checking a new artifact's
/// parents checks every ancestor.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Restrictions {
	/// An artifact whose terms forbid derivatives (anything but an evaluation descending).
	pub no_derivatives: Option<ArtifactId>,
	/// An artifact whose terms forbid training (a checkpoint descending).
	pub no_training: Option<ArtifactId>,
	/// An artifact whose terms forbid commercial use (licensing a descendant model for a fee).
	pub no_commercial: Option<ArtifactId>,
}

/// The royalty an upstream artifact's contributor takes from a descendant model's revenue.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Royalty<AccountId> {
	/// The upstream artifact.
	pub artifact: ArtifactId,
	/// Its contributor, who is paid.
	pub beneficiary: AccountId,
	/// The share of each payment.
	pub share: Permill,
}

/// What an artifact inherits from its lineage, computed once when it is registered from its
/// parents' own: what its ancestors forbid and the royalties they take. (Who contributed to
/// the lineage is kept apart, in `Contributors`, so that a payment reads only this.)
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Inheritance<Royalties> {
	/// What its ancestors (and its own terms) forbid its descendants.
	pub restrictions: Restrictions,
	/// The royalties of its ancestors (not its own), one per upstream artifact.
	pub royalties: Royalties,
}

/// A scoring round of a model: evaluators commit to score vectors until `commit_until`, then
/// reveal them until `reveal_until`.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Round<BlockNumber> {
	/// The last block in which a commitment is accepted.
	pub commit_until: BlockNumber,
	/// The last block in which a reveal is accepted.
	pub reveal_until: BlockNumber,
	/// How many evaluator organizations committed.
	pub committed: u32,
	/// How many revealed.
	pub revealed: u32,
}

/// An evaluator's revealed scores, bound to what it evaluated with.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Reveal<Scores> {
	/// The digest of the evaluation code.
	pub code: H256,
	/// The digest of the evaluation data.
	pub data: H256,
	/// Contributor and score, sorted by contributor.
	pub scores: Scores,
}

/// A model's royalty pool, open once its scores are final.
///
/// Exactness: `paid == royalties + remainders + per_point * POINTS`, and what every party can
/// claim, plus what was claimed, equals `paid` (checked in `try_state`).
#[derive(
	Clone,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Pool<Balance> {
	/// Everything paid in.
	pub paid: Balance,
	/// The part of it credited to upstream royalties.
	pub royalties: Balance,
	/// The part credited to the model's contributor as remainders (see [`crate::shares`]).
	pub remainders: Balance,
	/// What each of the `POINTS` points has earned so far.
	pub per_point: Balance,
	/// Everything claimed from the pool.
	pub claimed: Balance,
}

/// Why money entered a pool.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Revenue {
	/// A licensee's fee.
	LicenseFee,
	/// A sponsor's milestone reward.
	Milestone(MilestoneId),
}

/// Which side of its threshold a milestone's record must be on.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Crossing {
	/// The value is at least the threshold (an accuracy).
	AtLeast,
	/// The value is at most the threshold (a loss, an error rate).
	AtMost,
}

impl Crossing {
	/// Whether `value` is on this side of `threshold`.
	pub fn reached(self, value: i128, threshold: i128) -> bool {
		match self {
			Crossing::AtLeast => value >= threshold,
			Crossing::AtMost => value <= threshold,
		}
	}
}

/// A sponsor's reward for a model, escrowed until a record crosses the threshold.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Milestone<AccountId, Balance, BlockNumber> {
	/// The model rewarded.
	pub model: ArtifactId,
	/// Who escrowed the reward.
	pub sponsor: AccountId,
	/// The organization it acted for.
	pub sponsor_organization: OrganizationId,
	/// The metric of the evaluation record that releases it.
	pub metric: MetricId,
	/// The organization whose records count (the evaluator the sponsor trusts).
	pub reporter: OrganizationId,
	/// The value to reach, in the metric's smallest unit.
	pub threshold: i128,
	/// Which side of it.
	pub crossing: Crossing,
	/// The reward, paid into the model's pool when reached.
	pub reward: Balance,
	/// After this block the sponsor may withdraw the reward.
	pub expires_at: BlockNumber,
}
