//! The types of selective disclosure, as stored and as the runtime API shows them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use perfledger_primitives::{MetricId, OrganizationId};
pub use perfledger_proofs::{
	fields::{FieldDisclosure, FieldError, Salt},
	threshold::{Commitment as ValueCommitment, Direction, RANGE_PROOF_LEN},
	H256,
};
use scale_info::TypeInfo;

/// A document commitment.
pub type CommitmentId = u64;
/// A disclosure request (and, once granted, the grant).
pub type RequestId = u64;
/// A committed value.
pub type ValueId = u64;
/// A threshold claim.
pub type ClaimId = u64;
/// A record of the records pallet.
pub type RecordId = u64;

/// The deepest field proof: enough for 2^32 fields.
pub type MaxProofDepth = ConstU32<32>;
/// A field proof as calls take it.
pub type FieldProof = BoundedVec<H256, MaxProofDepth>;
/// A 64-bit range proof as calls take it.
pub type RangeProof = BoundedVec<u8, ConstU32<{ RANGE_PROOF_LEN as u32 }>>;

/// How a committed document is classed: disclosing sensitive data needs approvals.
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
pub enum Sensitivity {
	/// The owner's grant is enough.
	Ordinary,
	/// A grant becomes active only once enough approvers approved it.
	Sensitive,
}

/// A document committed field by field ([`perfledger_proofs::fields`]).
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct DocumentCommitment<AccountId, BlockNumber> {
	/// The organization that owns the data and decides who sees it.
	pub organization: OrganizationId,
	/// The hash of the document's schema.
	pub schema: H256,
	/// The Merkle root over the document's salted fields.
	pub root: H256,
	/// How many fields the document has.
	pub fields: u32,
	/// Whether disclosing it needs approvals.
	pub sensitivity: Sensitivity,
	/// The record of the records pallet the document stands behind, if any.
	pub record: Option<RecordId>,
	/// Who committed it.
	pub committer: AccountId,
	/// When.
	pub committed_at: BlockNumber,
}

/// Where a disclosure request stands. Refused, withdrawn, revoked and purged requests are
/// removed: their events are the record.
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
pub enum RequestStatus<BlockNumber> {
	/// Waiting for the owner's decision.
	Pending,
	/// Granted by the owner until `expires_at`, waiting for approvals: `approvals` so far.
	AwaitingApproval {
		/// The first block at which the grant no longer holds.
		expires_at: BlockNumber,
		/// The approvals given so far.
		approvals: u32,
	},
	/// Granted and active until `expires_at`.
	Granted {
		/// The first block at which the grant no longer holds.
		expires_at: BlockNumber,
	},
}

/// A party's request for fields of a commitment; once granted, its grant.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Request<AccountId, Fields, BlockNumber> {
	/// The commitment whose fields are requested.
	pub commitment: CommitmentId,
	/// Who asks, and receives them if granted.
	pub requester: AccountId,
	/// The positions of the fields asked for, ascending.
	pub fields: Fields,
	/// Where it stands.
	pub status: RequestStatus<BlockNumber>,
	/// When it was made.
	pub requested_at: BlockNumber,
	/// The organization the requester acted for when it asked (none for a consortium role):
	/// that organization never counts as an independent approver, wherever the requester
	/// acts later.
	pub requester_organization: Option<OrganizationId>,
}

/// Who approved a grant of sensitive data.
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
pub enum Approver {
	/// An organization other than the owner, through one of its admins.
	Organization(OrganizationId),
	/// The consortium council, by motion.
	Council,
}

/// A value committed as a Pedersen commitment, with a proof that it is a 64-bit value.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct CommittedValue<AccountId, Subject, BlockNumber> {
	/// The organization whose value it is.
	pub organization: OrganizationId,
	/// The metric it is a value of, in the metric's smallest unit.
	pub metric: MetricId,
	/// The subject it is about.
	pub subject: Subject,
	/// The metric's reporting period it is about.
	pub period: u64,
	/// The Pedersen commitment.
	pub commitment: ValueCommitment,
	/// The document commitment it belongs to, if any.
	pub document: Option<CommitmentId>,
	/// Who committed it.
	pub committer: AccountId,
	/// When.
	pub committed_at: BlockNumber,
}

/// A threshold claim proved about a committed value.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Claim<AccountId, BlockNumber> {
	/// The committed value it is about.
	pub value: ValueId,
	/// The threshold, in the metric's smallest unit.
	pub threshold: i64,
	/// Which side of the threshold the value is on.
	pub direction: Direction,
	/// Who proved it.
	pub claimant: AccountId,
	/// When.
	pub claimed_at: BlockNumber,
}

/// Why a disclosed field does not check against a commitment (runtime API).
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
pub enum FieldCheckError {
	/// No commitment has this id.
	UnknownCommitment,
	/// The document has no field at this position.
	PositionOutOfRange,
	/// The value, salt, position or proof is not the committed one.
	Mismatch,
}

impl From<FieldError> for FieldCheckError {
	fn from(error: FieldError) -> Self {
		match error {
			FieldError::PositionOutOfRange => Self::PositionOutOfRange,
			FieldError::Mismatch => Self::Mismatch,
		}
	}
}
