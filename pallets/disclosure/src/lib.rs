//! # Selective disclosure
//!
//! Partners keep their performance data off chain, commit to it on chain, disclose chosen
//! fields to chosen parties and prove thresholds without revealing values. The proofs are made
//! and checked by [`perfledger_proofs`], which clients use too.
//!
//! - **Commitments** ([`Pallet::commit`]): the Merkle root of a document's fields, each
//!   hashed with its own salt and position under the schema's hash
//!   ([`perfledger_proofs::fields`]), optionally bound to a record of the records pallet that
//!   the organization made. Commitments are classed ordinary or sensitive.
//! - **Grants, the consent log**: a party requests fields of a commitment
//!   ([`Pallet::request_disclosure`]); an admin of the owner grants the request until a block
//!   ([`Pallet::grant_disclosure`]) or refuses it ([`Pallet::refuse_disclosure`]). A grant of a
//!   sensitive commitment becomes active only once [`Config::RequiredApprovals`] approvers
//!   approved it: admins of other organizations ([`Pallet::approve_disclosure`]) or the council
//!   ([`Pallet::approve_disclosure_by_council`]). The owner can revoke a grant
//!   ([`Pallet::revoke_disclosure`]); it lapses at its expiry. Every step is an event.
//! - **Verification**: the owner hands a grantee a disclosure (the field, its salt and its
//!   proof) off chain; the grantee checks it against the commitment with the runtime API
//!   (`verify_field`). For everyone, the owner publishes the field with
//!   [`Pallet::publish_field`], which checks it the same way and stores it.
//! - **Threshold claims**: an organization commits its value of a metric, subject and reporting
//!   period as a value commitment with a 64-bit range proof ([`Pallet::commit_value`]), one
//!   per period, and proves threshold claims about it such as "at most X" with Bulletproofs
//!   ([`Pallet::prove_threshold`]). The claim is recorded (who, metric, period, threshold,
//!   direction); the value stays hidden. Claims are bound to the committed value, so the same
//!   value cannot be claimed both ways; each claim must tighten what is already proved.
//!   Other pallets read what was proved through [`perfledger_primitives::ThresholdClaims`].
//!
//! Permission checks go through [`Config::Permissions`] (the permissions pallet). Every call
//! but [`Pallet::approve_disclosure_by_council`] needs a signed origin and fails with
//! `BadOrigin` without one; each call's `## Errors` lists the errors after that check, in the
//! order they are checked.
//!
//! ## Terminology
//!
//! Each word means one thing in this pallet's docs.
//!
//! - **Document**: the bytes an organization keeps off chain: a list of fields under a schema.
//!   The chain never holds a document, only its commitment and the fields its owner publishes.
//! - **Field**: one value of a document, at a position (0, 1, ...), hashed with its own salt and
//!   its position ([`perfledger_proofs::fields`]).
//! - **Commitment**: what the chain holds of a document: the Merkle root of its salted fields,
//!   with the schema's hash, the number of fields, the class ([`Sensitivity`]) and optionally
//!   the record it is bound to ([`DocumentCommitment`], by [`CommitmentId`]). The organization
//!   that made it is its **owner**.
//! - **Record**: an entry of the records pallet. A commitment bound to a record is about that
//!   record's organization, metric and region.
//! - **Disclosure**: a field with its salt and Merkle proof ([`FieldDisclosure`]), checked
//!   against a commitment. The owner hands it to a grantee off chain, or **publishes** the
//!   field on chain for everyone. The calls named `*_disclosure` act on requests and grants.
//! - **Request**: a party's ask for fields of a commitment ([`Request`], by [`RequestId`]). The
//!   party is the **requester**.
//! - **Grant**: a request the owner granted until an expiry block; it keeps the request's id.
//!   A grant is **active** from when it needs no more approvals until it expires. What the
//!   permissions pallet gives an account is a **role**, never a grant.
//! - **Approval**: an approver's consent to a grant of a commitment classed
//!   [`Sensitivity::Sensitive`]. An **approver** ([`Approver`]) is an organization other than
//!   the owner and the requester's, or the council. The grant becomes active with the
//!   [`Config::RequiredApprovals`]th approval.
//! - **Value commitment**: a Pedersen commitment to one hidden number ([`ValueCommitment`]): an
//!   organization's value of a metric about a subject in a reporting period. Stored with what
//!   it is about as a **committed value** ([`CommittedValue`], by [`ValueId`]).
//! - **Threshold claim**: a proof that a committed value is at most (or at least) a threshold
//!   ([`Claim`], by [`ClaimId`]). What the claims about a committed value proved is its proven
//!   range ([`perfledger_primitives::ProvenRange`]).
//!
//! ## Where is what
//!
//! - `lib.rs`: configuration, storage, events, errors, hooks, and the calls with their docs.
//!   Each call checks its origin and hands over to a `do_*` function in its feature's file.
//!   Who may do what is asked of [`Config::Permissions`] directly, in the call's first lines, as
//!   in every pallet: `acting_for` for the signer's own organization, `may` for named data.
//! - `commitments.rs`: committing a document, publishing a field, checking a disclosure
//!   ([`Pallet::verify_field`]), and what a commitment is about (`target_of`).
//! - `consent.rs`: the consent log: requesting, granting, refusing, approving, revoking,
//!   withdrawing, purging expired grants, and whether a grant is active
//!   ([`Pallet::is_active`]).
//! - `thresholds.rs`: value commitments and threshold claims, [`Pallet::value_of`], and
//!   [`perfledger_primitives::ThresholdClaims`] for other pallets.
//! - `try_state.rs`: the invariants, checked after every test and by try-runtime.
//! - `types.rs`: the stored types. `runtime_api.rs`: the runtime API. `migrations.rs`,
//!   `weights.rs`, `benchmarking.rs`. `mock.rs` and `tests.rs` (one test module per feature).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod commitments;
mod consent;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
mod thresholds;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

use frame::{prelude::*, traits::UnixTime};
pub use pallet::*;
#[cfg(feature = "runtime-benchmarks")]
use perfledger_primitives::Role;
use perfledger_primitives::{
	Action, MetricId, OrganizationId, PerformanceData, Permissions, ProvenRange, Refusal, Target,
	ThresholdClaims,
};
use perfledger_proofs::{fields, threshold};
pub use types::*;
pub use weights::WeightInfo;

/// The positions of requested fields.
pub type FieldsOf<T> = BoundedVec<u32, <T as Config>::MaxRequestedFields>;
/// A subject as stored.
pub type SubjectOf<T> = BoundedVec<u8, <T as Config>::MaxSubjectLength>;
/// A published field's value.
pub type FieldValueOf<T> = BoundedVec<u8, <T as Config>::MaxFieldLength>;
/// A document commitment as stored.
pub type DocumentCommitmentOf<T> =
	DocumentCommitment<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
/// A request as stored.
pub type RequestOf<T> =
	Request<<T as frame_system::Config>::AccountId, FieldsOf<T>, BlockNumberFor<T>>;
/// A committed value as stored.
pub type CommittedValueOf<T> =
	CommittedValue<<T as frame_system::Config>::AccountId, SubjectOf<T>, BlockNumberFor<T>>;
/// A claim as stored.
pub type ClaimOf<T> = Claim<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// Sets up what the benchmarks need in the pallets this one asks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Grants `role` to `who` in the benchmark organization (the same one for every call) and
	/// returns it.
	fn grant(who: &AccountId, role: Role) -> OrganizationId;
	/// A metric the benchmark organization may report, and a record of it made by that
	/// organization.
	fn metric_and_record() -> (MetricId, RecordId);
	/// Grants `who` a consortium-wide Auditor role (it acts for no organization).
	fn auditor(who: &AccountId);
	/// The admin of the `index`th organization other than the benchmark organization.
	fn other_admin(index: u32) -> AccountId;
}

#[frame::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Who may do what (the permissions pallet).
		type Permissions: Permissions<Self::AccountId>;

		/// The performance records (records that commitments bind to, metrics and periods).
		type Records: PerformanceData<Self::AccountId>;

		/// The chain's clock, to refuse values of periods that have not begun.
		type Clock: UnixTime;

		/// The council, approving a grant of sensitive data as one approver.
		type CouncilOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// How many approvers must approve a grant of sensitive data before it is active.
		#[pallet::constant]
		type RequiredApprovals: Get<u32>;

		/// The most fields a committed document may have.
		#[pallet::constant]
		type MaxFields: Get<u32>;

		/// The most fields one request may ask for.
		#[pallet::constant]
		type MaxRequestedFields: Get<u32>;

		/// The longest field value that can be published, in bytes.
		#[pallet::constant]
		type MaxFieldLength: Get<u32>;

		/// The longest subject, in bytes.
		#[pallet::constant]
		type MaxSubjectLength: Get<u32>;

		/// The longest a grant may last, in blocks.
		#[pallet::constant]
		type MaxGrantDuration: Get<BlockNumberFor<Self>>;

		/// The most requests one account may have open (pending, awaiting approval or granted
		/// and not yet purged).
		#[pallet::constant]
		type MaxOpenRequests: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up organizations, metrics and records for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next document commitment gets.
	#[pallet::storage]
	pub type NextCommitmentId<T: Config> = StorageValue<_, CommitmentId, ValueQuery>;

	/// Every document commitment.
	#[pallet::storage]
	pub type Commitments<T: Config> =
		StorageMap<_, Twox64Concat, CommitmentId, DocumentCommitmentOf<T>>;

	/// The id the next request gets.
	#[pallet::storage]
	pub type NextRequestId<T: Config> = StorageValue<_, RequestId, ValueQuery>;

	/// Every open request and grant.
	#[pallet::storage]
	pub type Requests<T: Config> = StorageMap<_, Twox64Concat, RequestId, RequestOf<T>>;

	/// Who approved which grant of sensitive data.
	#[pallet::storage]
	pub type Approvals<T: Config> =
		StorageDoubleMap<_, Twox64Concat, RequestId, Twox64Concat, Approver, ()>;

	/// How many requests each account has open.
	#[pallet::storage]
	pub type OpenRequests<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Fields published by their owner, by commitment and position.
	#[pallet::storage]
	pub type Published<T: Config> =
		StorageDoubleMap<_, Twox64Concat, CommitmentId, Twox64Concat, u32, FieldValueOf<T>>;

	/// The id the next committed value gets.
	#[pallet::storage]
	pub type NextValueId<T: Config> = StorageValue<_, ValueId, ValueQuery>;

	/// Every committed value.
	#[pallet::storage]
	pub type Values<T: Config> = StorageMap<_, Twox64Concat, ValueId, CommittedValueOf<T>>;

	/// The committed value of each organization, metric, subject and period: one each.
	#[pallet::storage]
	pub type ValueOf<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, OrganizationId>,
			NMapKey<Twox64Concat, MetricId>,
			NMapKey<Blake2_128Concat, SubjectOf<T>>,
			NMapKey<Twox64Concat, u64>,
		),
		ValueId,
	>;

	/// What the claims about each committed value proved: the tightest bounds.
	#[pallet::storage]
	pub type Proven<T: Config> = StorageMap<_, Twox64Concat, ValueId, ProvenRange, ValueQuery>;

	/// The id the next claim gets.
	#[pallet::storage]
	pub type NextClaimId<T: Config> = StorageValue<_, ClaimId, ValueQuery>;

	/// Every claim.
	#[pallet::storage]
	pub type Claims<T: Config> = StorageMap<_, Twox64Concat, ClaimId, ClaimOf<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An organization committed to a document.
		Committed {
			commitment: CommitmentId,
			organization: OrganizationId,
			schema: H256,
			root: H256,
			fields: u32,
			sensitivity: Sensitivity,
			record: Option<RecordId>,
		},
		/// A party asked for fields of a commitment.
		DisclosureRequested {
			request: RequestId,
			commitment: CommitmentId,
			requester: T::AccountId,
			fields: FieldsOf<T>,
		},
		/// The owner granted a request until `expires_at`; it needs `approvals_required`
		/// approvals before it is active (0: active now).
		DisclosureGranted {
			request: RequestId,
			by: T::AccountId,
			expires_at: BlockNumberFor<T>,
			approvals_required: u32,
		},
		/// An approver approved a grant of sensitive data: `approvals` so far.
		DisclosureApproved { request: RequestId, approver: Approver, approvals: u32 },
		/// A grant became active: the requester may receive the fields until `expires_at`.
		DisclosureActivated { request: RequestId, expires_at: BlockNumberFor<T> },
		/// The owner refused a request.
		DisclosureRefused { request: RequestId, by: T::AccountId },
		/// The owner revoked a grant.
		DisclosureRevoked { request: RequestId, by: T::AccountId },
		/// The requester withdrew a request.
		RequestWithdrawn { request: RequestId },
		/// An expired grant was removed.
		GrantExpired { request: RequestId },
		/// The owner published a field, checked against its commitment.
		FieldPublished { commitment: CommitmentId, position: u32, value: FieldValueOf<T> },
		/// An organization committed a value, hidden, with a proof that it is a 64-bit value.
		ValueCommitted {
			value: ValueId,
			organization: OrganizationId,
			metric: MetricId,
			subject: SubjectOf<T>,
			period: u64,
			commitment: ValueCommitment,
		},
		/// A threshold claim about a committed value was proved.
		ThresholdProven {
			claim: ClaimId,
			value: ValueId,
			organization: OrganizationId,
			metric: MetricId,
			period: u64,
			threshold: i64,
			direction: Direction,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The signer acts for no organization.
		NoOrganization,
		/// The signer lacks the role this needs.
		NotPermitted,
		/// A document must have at least one field.
		NoFields,
		/// The document has more fields than `MaxFields`.
		TooManyFields,
		/// No record has this id.
		UnknownRecord,
		/// The record was made by another organization.
		RecordOfAnotherOrganization,
		/// No commitment has this id.
		UnknownCommitment,
		/// The commitment belongs to another organization.
		CommitmentOfAnotherOrganization,
		/// A request must name at least one field.
		NoFieldsRequested,
		/// A requested position is not a field of the document.
		FieldOutOfRange,
		/// Requested positions must be ascending, each once.
		FieldsNotAscending,
		/// The account has `MaxOpenRequests` requests open.
		TooManyOpenRequests,
		/// No open request has this id.
		UnknownRequest,
		/// The owner already decided this request.
		AlreadyDecided,
		/// The grant is not waiting for approvals.
		NotAwaitingApproval,
		/// An expiry must be after the current block.
		ExpiryInThePast,
		/// An expiry must be within `MaxGrantDuration` blocks.
		ExpiryTooFar,
		/// The grant has expired.
		GrantExpired,
		/// The grant has not expired yet.
		GrantNotExpired,
		/// The request has not been granted.
		NotGranted,
		/// The owner's own admins do not approve its grants.
		OwnOrganization,
		/// The requester's organization (when it asked, or now) does not approve its own
		/// request.
		RequestersOrganization,
		/// This approver already approved the grant.
		AlreadyApproved,
		/// Only the requester may withdraw a request.
		NotRequester,
		/// The field, salt, position or proof does not match the commitment.
		FieldMismatch,
		/// The field was already published.
		AlreadyPublished,
		/// No metric has this id.
		UnknownMetric,
		/// The period has not begun.
		PeriodInTheFuture,
		/// The organization already committed a value for this metric, subject and period.
		ValueAlreadyCommitted,
		/// No committed value has this id.
		UnknownValue,
		/// The commitment is not a valid point, or the proof does not decode.
		MalformedProof,
		/// The proof does not prove the claim.
		InvalidProof,
		/// What is already proved implies this claim.
		AlreadyProven,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Commits to a document: `root` is the Merkle root over its `fields` salted fields
		/// under the schema hashed as `schema` (see `perfledger_proofs::fields`), classed
		/// `sensitivity`. Optionally bound to a `record` the signer's organization made. The
		/// signer's organization owns the commitment.
		///
		/// The signer acts for an organization and needs the Reporter role in it, for the
		/// record's metric if the commitment is bound to one.
		///
		/// ## Errors
		/// - `NoOrganization`: the signer acts for no organization.
		/// - `UnknownRecord`: no record has the id `record`.
		/// - `RecordOfAnotherOrganization`: the record is another organization's.
		/// - `NotPermitted`: the signer's Reporter role does not cover what the commitment is
		///   about.
		/// - `NoFields`: `fields` is 0.
		/// - `TooManyFields`: `fields` is above `MaxFields`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::commit())]
		pub fn commit(
			origin: OriginFor<T>,
			schema: H256,
			root: H256,
			fields: u32,
			sensitivity: Sensitivity,
			record: Option<RecordId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit(who, schema, root, fields, sensitivity, record)
		}

		/// Requests the fields at positions `fields` (ascending) of `commitment` from its owner.
		///
		/// The signer acts for an organization (a partner asking), or holds a live Auditor or
		/// Regulator role whose scope covers what the commitment is about: the owner, and the
		/// metric and region of the record it is bound to (an auditor scoped to a region asks
		/// only about records from there).
		///
		/// ## Errors
		/// - `UnknownCommitment`: no commitment has the id `commitment`.
		/// - `UnknownRecord`: the signer acts for no organization and the record the commitment
		///   is bound to is not found.
		/// - `NotPermitted`: the signer is neither a member of an organization nor an auditor
		///   covering what the commitment is about.
		/// - `NoFieldsRequested`: `fields` is empty.
		/// - `FieldsNotAscending`: `fields` is not strictly ascending.
		/// - `FieldOutOfRange`: a position is not a field of the document.
		/// - `TooManyOpenRequests`: the signer has `MaxOpenRequests` requests open.
		///
		/// ## Complexity
		/// - O(F), F the number of requested positions (`fields.len()`, at most
		///   `MaxRequestedFields`): the checks walk them and the request stores them.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::request_disclosure(fields.len() as u32))]
		pub fn request_disclosure(
			origin: OriginFor<T>,
			commitment: CommitmentId,
			fields: FieldsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_disclosure(who, commitment, fields)
		}

		/// Grants a pending request until block `expires_at` (the first block at which the
		/// grant no longer holds, at most `MaxGrantDuration` blocks ahead). A grant of a
		/// commitment classed sensitive waits for `RequiredApprovals` approvals; any other grant
		/// is active at once.
		///
		/// The signer needs the OrganizationAdmin role of the owner.
		///
		/// ## Errors
		/// - `UnknownRequest`: no open request has the id `request`.
		/// - `UnknownCommitment`: the request's commitment is not found.
		/// - `NotPermitted`: the signer is not an admin of the owner.
		/// - `AlreadyDecided`: the request is not pending.
		/// - `ExpiryInThePast`: `expires_at` is not after the current block.
		/// - `ExpiryTooFar`: `expires_at` is more than `MaxGrantDuration` blocks ahead.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::grant_disclosure())]
		pub fn grant_disclosure(
			origin: OriginFor<T>,
			request: RequestId,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_grant_disclosure(who, request, expires_at)
		}

		/// Refuses a pending request; it is removed.
		///
		/// The signer needs the OrganizationAdmin role of the owner.
		///
		/// ## Errors
		/// - `UnknownRequest`: no open request has the id `request`.
		/// - `UnknownCommitment`: the request's commitment is not found.
		/// - `NotPermitted`: the signer is not an admin of the owner.
		/// - `AlreadyDecided`: the request is not pending.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::refuse_disclosure())]
		pub fn refuse_disclosure(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_refuse_disclosure(who, request)
		}

		/// Approves a grant of a commitment classed sensitive, for the signer's organization.
		/// The grant becomes active with the `RequiredApprovals`th approval.
		///
		/// The signer needs the OrganizationAdmin role of its organization, which is neither
		/// the owner nor the requester's organization (when it asked, or now).
		///
		/// ## Errors
		/// - `NoOrganization`: the signer acts for no organization.
		/// - `NotPermitted`: the signer is not an admin of its organization.
		/// - `UnknownRequest`: no open request has the id `request`.
		/// - `UnknownCommitment`: the request's commitment is not found.
		/// - `OwnOrganization`: the signer's organization is the owner.
		/// - `RequestersOrganization`: the signer's organization is the requester's.
		/// - `NotAwaitingApproval`: the request is not a grant waiting for approvals.
		/// - `GrantExpired`: the grant has expired.
		/// - `AlreadyApproved`: the signer's organization already approved it.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::approve_disclosure())]
		pub fn approve_disclosure(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_approve_disclosure(who, request)
		}

		/// Approves a grant of a commitment classed sensitive, for the council. The grant
		/// becomes active with the `RequiredApprovals`th approval.
		///
		/// The origin must be `CouncilOrigin`.
		///
		/// ## Errors
		/// - `BadOrigin`: the origin is not `CouncilOrigin`.
		/// - `UnknownRequest`: no open request has the id `request`.
		/// - `UnknownCommitment`: the request's commitment is not found.
		/// - `NotAwaitingApproval`: the request is not a grant waiting for approvals.
		/// - `GrantExpired`: the grant has expired.
		/// - `AlreadyApproved`: the council already approved it.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::approve_disclosure())]
		pub fn approve_disclosure_by_council(
			origin: OriginFor<T>,
			request: RequestId,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_approve_disclosure_by_council(request)
		}

		/// Revokes a grant, active or waiting for approvals; it is removed.
		///
		/// The signer needs the OrganizationAdmin role of the owner.
		///
		/// ## Errors
		/// - `UnknownRequest`: no open request has the id `request`.
		/// - `UnknownCommitment`: the request's commitment is not found.
		/// - `NotPermitted`: the signer is not an admin of the owner.
		/// - `NotGranted`: the request is pending, not granted.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::revoke_disclosure())]
		pub fn revoke_disclosure(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke_disclosure(who, request)
		}

		/// Withdraws a request, granted or not; it is removed.
		///
		/// The signer must be the requester.
		///
		/// ## Errors
		/// - `UnknownRequest`: no open request has the id `request`.
		/// - `NotRequester`: the signer is not the requester.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::withdraw_request())]
		pub fn withdraw_request(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_request(who, request)
		}

		/// Removes a grant that has expired, freeing its requester's slot.
		///
		/// Any signer may.
		///
		/// ## Errors
		/// - `UnknownRequest`: no open request has the id `request`.
		/// - `NotGranted`: the request is pending, not granted.
		/// - `GrantNotExpired`: the grant has not expired yet.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::purge_expired())]
		pub fn purge_expired(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_purge_expired(request)
		}

		/// Publishes the field at `position` of `commitment` for everyone: the `value`, its
		/// `salt` and its `proof` must check against the commitment (see
		/// `perfledger_proofs::fields`). The value is stored.
		///
		/// The signer needs the OrganizationAdmin role of the owner.
		///
		/// ## Errors
		/// - `UnknownCommitment`: no commitment has the id `commitment`.
		/// - `NotPermitted`: the signer is not an admin of the owner.
		/// - `AlreadyPublished`: the field at `position` was already published.
		/// - `FieldOutOfRange`: `position` is not a field of the document.
		/// - `FieldMismatch`: the value, salt, position or proof does not match the commitment.
		///
		/// ## Complexity
		/// - O(V + P), V the length of `value` in bytes (at most `MaxFieldLength`) and P the
		///   number of hashes in `proof` (at most 32): the field is hashed, the proof walked and
		///   the value stored.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::publish_field(value.len() as u32, proof.len() as u32))]
		pub fn publish_field(
			origin: OriginFor<T>,
			commitment: CommitmentId,
			position: u32,
			value: FieldValueOf<T>,
			salt: Salt,
			proof: FieldProof,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_publish_field(who, commitment, position, value, salt, proof)
		}

		/// Commits the signer's organization's value of `metric` about `subject` in reporting
		/// `period`: `commitment` is its value commitment (Pedersen), and `proof` a 64-bit
		/// range proof bound to that statement (`perfledger_proofs::threshold`). One committed
		/// value per organization, metric, subject and period; optionally part of the
		/// commitment `document` of the organization.
		///
		/// The signer acts for an organization and needs the Reporter role for the metric in
		/// it.
		///
		/// ## Errors
		/// - `NoOrganization`: the signer acts for no organization.
		/// - `NotPermitted`: the signer is not a Reporter for the metric.
		/// - `UnknownMetric`: no metric has the id `metric`.
		/// - `PeriodInTheFuture`: `period` has not begun.
		/// - `ValueAlreadyCommitted`: the organization already committed a value for this
		///   metric, subject and period.
		/// - `UnknownCommitment`: no commitment has the id `document`.
		/// - `CommitmentOfAnotherOrganization`: the commitment `document` is another
		///   organization's.
		/// - `MalformedProof`: the value commitment is not a valid point, or the proof does not
		///   decode.
		/// - `InvalidProof`: the proof does not prove the statement.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::commit_value())]
		pub fn commit_value(
			origin: OriginFor<T>,
			metric: MetricId,
			subject: SubjectOf<T>,
			period: u64,
			commitment: ValueCommitment,
			proof: RangeProof,
			document: Option<CommitmentId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_value(who, metric, subject, period, commitment, proof, document)
		}

		/// Proves the threshold claim that the committed value `value` is at most (or at
		/// least, by `direction`) `threshold`, without revealing it: `proof` is a 64-bit range
		/// proof (`perfledger_proofs::threshold`). The claim must tighten what is already
		/// proved about the value.
		///
		/// The signer needs the Reporter role for the value's metric in the value's
		/// organization.
		///
		/// ## Errors
		/// - `UnknownValue`: no committed value has the id `value`.
		/// - `NotPermitted`: the signer is not a Reporter for the metric in the organization.
		/// - `AlreadyProven`: what is already proved implies the claim.
		/// - `MalformedProof`: the proof does not decode.
		/// - `InvalidProof`: the proof does not prove the claim.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::prove_threshold())]
		pub fn prove_threshold(
			origin: OriginFor<T>,
			value: ValueId,
			threshold: i64,
			direction: Direction,
			proof: RangeProof,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_prove_threshold(who, value, threshold, direction, proof)
		}
	}
}

/// How this pallet reports a refusal of [`Permissions::acting_for`].
impl<T: Config> From<Refusal> for Error<T> {
	fn from(refusal: Refusal) -> Self {
		match refusal {
			Refusal::NoOrganization => Error::<T>::NoOrganization,
			Refusal::NotPermitted => Error::<T>::NotPermitted,
		}
	}
}
