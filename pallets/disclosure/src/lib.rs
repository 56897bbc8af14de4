//! # Selective disclosure
//!
//! Partners keep sensitive performance data off chain, commit to it on chain, disclose chosen
//! fields to chosen parties and prove thresholds without revealing values. The proofs are made
//! and checked by [`perfledger_proofs`], which clients use too.
//!
//! - **Document commitments** ([`Pallet::commit`]): the Merkle root of a document's fields, each
//!   hashed with its own salt and position under the schema's hash
//!   ([`perfledger_proofs::fields`]), optionally bound to a record of the records pallet that
//!   the organization made. Documents are classed ordinary or sensitive.
//! - **Disclosure grants, the consent log**: a party requests fields of a commitment
//!   ([`Pallet::request_disclosure`]); an admin of the owner grants them until a block
//!   ([`Pallet::grant_disclosure`]) or refuses ([`Pallet::refuse_disclosure`]). A grant of
//!   sensitive data becomes active only once [`Config::RequiredApprovals`] approvers approved
//!   it: admins of other organizations ([`Pallet::approve_disclosure`]) or the council
//!   ([`Pallet::approve_disclosure_by_council`]). The owner can revoke a grant
//!   ([`Pallet::revoke_disclosure`]); it lapses at its expiry. Every step is an event.
//! - **Verification**: the owner hands a grantee the field, its salt and its proof off chain;
//!   the grantee checks them against the commitment with the runtime API (`verify_field`).
//!   For a public disclosure the owner publishes the field with [`Pallet::publish_field`],
//!   which checks it the same way and stores it.
//! - **Threshold proofs**: an organization commits a value of a metric, subject and reporting
//!   period as a Pedersen commitment with a 64-bit range proof ([`Pallet::commit_value`]),
//!   one per period, and proves claims about it such as "at most X" with Bulletproofs
//!   ([`Pallet::prove_threshold`]). The claim is recorded (who, metric, period, threshold,
//!   direction); the value stays hidden. Claims are bound to the committed value, so the same
//!   value cannot be claimed both ways; each claim must tighten what is already proved.
//!   Other pallets read what was proved through [`perfledger_primitives::ThresholdClaims`].
//!
//! Permission checks go through [`Config::Permissions`] (the permissions pallet).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use frame::{prelude::*, traits::UnixTime};
pub use pallet::*;
use perfledger_primitives::{
	Action, MetricId, OrganizationId, PerformanceData, Permissions, ProvenRange, Role, Target,
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
		/// under the schema hashed as `schema` (see `perfledger_proofs::fields`). Optionally
		/// bound to a `record` the signer's organization made.
		///
		/// The signer needs the Reporter role in its organization (for the record's metric if
		/// bound to one).
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
			ensure!(fields > 0, Error::<T>::NoFields);
			ensure!(fields <= T::MaxFields::get(), Error::<T>::TooManyFields);
			let organization = Self::organization_of(&who)?;
			let target = Self::target_of(organization, record)?;
			ensure!(
				target.organization == Some(organization),
				Error::<T>::RecordOfAnotherOrganization
			);
			Self::ensure_may(&who, Action::SubmitRecord, &target)?;

			let commitment =
				NextCommitmentId::<T>::mutate(|next| core::mem::replace(next, *next + 1));
			Commitments::<T>::insert(
				commitment,
				DocumentCommitment {
					organization,
					schema,
					root,
					fields,
					sensitivity,
					record,
					committer: who,
					committed_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::Committed {
				commitment,
				organization,
				schema,
				root,
				fields,
				sensitivity,
				record,
			});
			Ok(())
		}

		/// Asks the owner of `commitment` for the fields at `fields` (positions, ascending).
		///
		/// The signer acts for an organization (a partner asking), or holds a live Auditor or
		/// Regulator grant whose scope covers what the commitment is about: the owner, and the
		/// metric and region of the record it is bound to (an auditor scoped to a region asks
		/// only about records from there).
		///
		/// ## Errors
		/// `UnknownCommitment`; `NotPermitted` (neither a member of an organization nor an
		/// auditor covering the owner); `NoFieldsRequested`, `FieldsNotAscending`,
		/// `FieldOutOfRange`; `TooManyOpenRequests` (the signer has `MaxOpenRequests` open).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::request_disclosure(fields.len() as u32))]
		pub fn request_disclosure(
			origin: OriginFor<T>,
			commitment: CommitmentId,
			fields: FieldsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let document =
				Commitments::<T>::get(commitment).ok_or(Error::<T>::UnknownCommitment)?;
			let requester_organization = T::Permissions::organization_of(&who);
			if requester_organization.is_none() {
				let target = Self::target_of(document.organization, document.record)?;
				Self::ensure_may(&who, Action::Audit, &target)?;
			}
			ensure!(!fields.is_empty(), Error::<T>::NoFieldsRequested);
			ensure!(fields.windows(2).all(|w| w[0] < w[1]), Error::<T>::FieldsNotAscending);
			ensure!(fields.iter().all(|f| *f < document.fields), Error::<T>::FieldOutOfRange);
			OpenRequests::<T>::try_mutate(&who, |open| {
				ensure!(*open < T::MaxOpenRequests::get(), Error::<T>::TooManyOpenRequests);
				*open += 1;
				Ok::<_, Error<T>>(())
			})?;

			let request = NextRequestId::<T>::mutate(|next| core::mem::replace(next, *next + 1));
			Requests::<T>::insert(
				request,
				Request {
					commitment,
					requester: who.clone(),
					fields: fields.clone(),
					status: RequestStatus::Pending,
					requested_at: frame_system::Pallet::<T>::block_number(),
					requester_organization,
				},
			);
			Self::deposit_event(Event::DisclosureRequested {
				request,
				commitment,
				requester: who,
				fields,
			});
			Ok(())
		}

		/// Grants a pending request until block `expires_at` (at most `MaxGrantDuration`
		/// ahead). A grant of sensitive data waits for `RequiredApprovals` approvals.
		///
		/// The signer needs the OrganizationAdmin role of the owner.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::grant_disclosure())]
		pub fn grant_disclosure(
			origin: OriginFor<T>,
			request: RequestId,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (mut open, document) = Self::owners_decision(&who, request)?;
			ensure!(open.status == RequestStatus::Pending, Error::<T>::AlreadyDecided);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(expires_at > now, Error::<T>::ExpiryInThePast);
			ensure!(expires_at <= now + T::MaxGrantDuration::get(), Error::<T>::ExpiryTooFar);

			let approvals_required = match document.sensitivity {
				Sensitivity::Sensitive => T::RequiredApprovals::get(),
				Sensitivity::Ordinary => 0,
			};
			open.status = if approvals_required == 0 {
				RequestStatus::Granted { expires_at }
			} else {
				RequestStatus::AwaitingApproval { expires_at, approvals: 0 }
			};
			Requests::<T>::insert(request, open);
			Self::deposit_event(Event::DisclosureGranted {
				request,
				by: who,
				expires_at,
				approvals_required,
			});
			if approvals_required == 0 {
				Self::deposit_event(Event::DisclosureActivated { request, expires_at });
			}
			Ok(())
		}

		/// Refuses a pending request; it is removed.
		///
		/// The signer needs the OrganizationAdmin role of the owner.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::refuse_disclosure())]
		pub fn refuse_disclosure(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (open, _) = Self::owners_decision(&who, request)?;
			ensure!(open.status == RequestStatus::Pending, Error::<T>::AlreadyDecided);
			Self::remove_request(request, &open);
			Self::deposit_event(Event::DisclosureRefused { request, by: who });
			Ok(())
		}

		/// Approves a grant of sensitive data, for the signer's organization (neither the owner
		/// nor the requester's).
		/// The grant becomes active with the `RequiredApprovals`th approval.
		///
		/// The signer needs the OrganizationAdmin role of its organization.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::approve_disclosure())]
		pub fn approve_disclosure(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let organization = Self::organization_of(&who)?;
			ensure!(
				T::Permissions::has_role(
					&who,
					Role::OrganizationAdmin,
					&Target::organization(organization)
				),
				Error::<T>::NotPermitted
			);
			Self::approve(request, Approver::Organization(organization))
		}

		/// Approves a grant of sensitive data for the council. Origin: `CouncilOrigin`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::approve_disclosure())]
		pub fn approve_disclosure_by_council(
			origin: OriginFor<T>,
			request: RequestId,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::approve(request, Approver::Council)
		}

		/// Revokes a grant, active or awaiting approval; it is removed.
		///
		/// The signer needs the OrganizationAdmin role of the owner.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::revoke_disclosure())]
		pub fn revoke_disclosure(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (open, _) = Self::owners_decision(&who, request)?;
			ensure!(open.status != RequestStatus::Pending, Error::<T>::NotGranted);
			Self::remove_request(request, &open);
			Self::deposit_event(Event::DisclosureRevoked { request, by: who });
			Ok(())
		}

		/// Withdraws one's own request, granted or not; it is removed.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::withdraw_request())]
		pub fn withdraw_request(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let open = Requests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
			ensure!(open.requester == who, Error::<T>::NotRequester);
			Self::remove_request(request, &open);
			Self::deposit_event(Event::RequestWithdrawn { request });
			Ok(())
		}

		/// Removes a grant that has expired, freeing its requester's slot. Anyone may.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::purge_expired())]
		pub fn purge_expired(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			ensure_signed(origin)?;
			let open = Requests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
			let expires_at = Self::expiry(&open.status).ok_or(Error::<T>::NotGranted)?;
			ensure!(
				expires_at <= frame_system::Pallet::<T>::block_number(),
				Error::<T>::GrantNotExpired
			);
			Self::remove_request(request, &open);
			Self::deposit_event(Event::GrantExpired { request });
			Ok(())
		}

		/// Publishes a field of a commitment for everyone: the value, its salt and its proof
		/// must check against the commitment (see `perfledger_proofs::fields`).
		///
		/// The signer needs the OrganizationAdmin role of the owner.
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
			let document =
				Commitments::<T>::get(commitment).ok_or(Error::<T>::UnknownCommitment)?;
			Self::ensure_may(
				&who,
				Action::Administer,
				&Target::organization(document.organization),
			)?;
			ensure!(
				!Published::<T>::contains_key(commitment, position),
				Error::<T>::AlreadyPublished
			);
			let disclosure = FieldDisclosure {
				position,
				value: value.to_vec(),
				salt,
				proof: proof.into_inner(),
			};
			match fields::verify(&document.schema, &document.root, document.fields, &disclosure) {
				Ok(()) => {}
				Err(FieldError::PositionOutOfRange) => Err(Error::<T>::FieldOutOfRange)?,
				Err(FieldError::Mismatch) => Err(Error::<T>::FieldMismatch)?,
			}
			Published::<T>::insert(commitment, position, value.clone());
			Self::deposit_event(Event::FieldPublished { commitment, position, value });
			Ok(())
		}

		/// Commits the signer's organization's value of `metric` about `subject` in reporting
		/// `period` as a Pedersen `commitment`, with a 64-bit range `proof` bound to that
		/// statement (`perfledger_proofs::threshold`). One value per organization, metric,
		/// subject and period; optionally part of a `document` commitment of the organization.
		///
		/// The signer needs the Reporter role for the metric.
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
			let organization = Self::organization_of(&who)?;
			Self::ensure_may(
				&who,
				Action::SubmitRecord,
				&Target::organization(organization).metric(metric),
			)?;
			let current = T::Records::period_of(metric, T::Clock::now().as_millis() as u64)
				.ok_or(Error::<T>::UnknownMetric)?;
			ensure!(period <= current, Error::<T>::PeriodInTheFuture);
			let key = (organization, metric, subject.clone(), period);
			ensure!(!ValueOf::<T>::contains_key(&key), Error::<T>::ValueAlreadyCommitted);
			if let Some(id) = document {
				let document = Commitments::<T>::get(id).ok_or(Error::<T>::UnknownCommitment)?;
				ensure!(
					document.organization == organization,
					Error::<T>::CommitmentOfAnotherOrganization
				);
			}
			let statement = threshold::statement(organization, metric, &subject, period);
			threshold::verify_value(&commitment, &statement, &proof).map_err(Self::proof_error)?;

			let value = NextValueId::<T>::mutate(|next| core::mem::replace(next, *next + 1));
			ValueOf::<T>::insert(&key, value);
			Values::<T>::insert(
				value,
				CommittedValue {
					organization,
					metric,
					subject: subject.clone(),
					period,
					commitment,
					document,
					committer: who,
					committed_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::ValueCommitted {
				value,
				organization,
				metric,
				subject,
				period,
				commitment,
			});
			Ok(())
		}

		/// Proves that a committed value is at most (or at least) `threshold`, without
		/// revealing it: `proof` is a 64-bit range proof (`perfledger_proofs::threshold`). The
		/// claim must tighten what is already proved about the value.
		///
		/// The signer needs the Reporter role for the value's metric in its organization.
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
			let committed = Values::<T>::get(value).ok_or(Error::<T>::UnknownValue)?;
			let (organization, metric, period) =
				(committed.organization, committed.metric, committed.period);
			Self::ensure_may(
				&who,
				Action::SubmitRecord,
				&Target::organization(organization).metric(metric),
			)?;
			let mut proven = Proven::<T>::get(value);
			let implied = match direction {
				Direction::AtMost => proven.at_most(threshold),
				Direction::AtLeast => proven.at_least(threshold),
			};
			ensure!(!implied, Error::<T>::AlreadyProven);
			let statement = threshold::statement(organization, metric, &committed.subject, period);
			threshold::verify_threshold(
				&committed.commitment,
				threshold,
				direction,
				&statement,
				&proof,
			)
			.map_err(Self::proof_error)?;

			match direction {
				Direction::AtMost => proven.at_most = Some(threshold),
				Direction::AtLeast => proven.at_least = Some(threshold),
			}
			Proven::<T>::insert(value, proven);
			let claim = NextClaimId::<T>::mutate(|next| core::mem::replace(next, *next + 1));
			Claims::<T>::insert(
				claim,
				Claim {
					value,
					threshold,
					direction,
					claimant: who,
					claimed_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::ThresholdProven {
				claim,
				value,
				organization,
				metric,
				period,
				threshold,
				direction,
			});
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	fn organization_of(who: &T::AccountId) -> Result<OrganizationId, DispatchError> {
		Ok(T::Permissions::organization_of(who).ok_or(Error::<T>::NoOrganization)?)
	}

	/// What a commitment of `organization` bound to `record` is about: the record's organization,
	/// metric and region, or only `organization` when it is bound to none.
	fn target_of(
		organization: OrganizationId,
		record: Option<RecordId>,
	) -> Result<Target, Error<T>> {
		match record {
			Some(id) => T::Records::record(id).ok_or(Error::<T>::UnknownRecord),
			None => Ok(Target::organization(organization)),
		}
	}

	fn ensure_may(who: &T::AccountId, action: Action, target: &Target) -> DispatchResult {
		ensure!(T::Permissions::may(who, action, target), Error::<T>::NotPermitted);
		Ok(())
	}

	/// The request and its commitment, if `who` is an admin of the commitment's owner.
	fn owners_decision(
		who: &T::AccountId,
		request: RequestId,
	) -> Result<(RequestOf<T>, DocumentCommitmentOf<T>), DispatchError> {
		let (open, document) = Self::request_and_commitment(request)?;
		Self::ensure_may(who, Action::Administer, &Target::organization(document.organization))?;
		Ok((open, document))
	}

	fn request_and_commitment(
		request: RequestId,
	) -> Result<(RequestOf<T>, DocumentCommitmentOf<T>), DispatchError> {
		let open = Requests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
		let document =
			Commitments::<T>::get(open.commitment).ok_or(Error::<T>::UnknownCommitment)?;
		Ok((open, document))
	}

	fn expiry(status: &RequestStatus<BlockNumberFor<T>>) -> Option<BlockNumberFor<T>> {
		match status {
			RequestStatus::Pending => None,
			RequestStatus::AwaitingApproval { expires_at, .. }
			| RequestStatus::Granted { expires_at } => Some(*expires_at),
		}
	}

	fn remove_request(request: RequestId, open: &RequestOf<T>) {
		Requests::<T>::remove(request);
		OpenRequests::<T>::mutate_exists(&open.requester, |count| {
			*count = count.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
		if matches!(open.status, RequestStatus::AwaitingApproval { .. }) {
			let _ = Approvals::<T>::clear_prefix(request, T::RequiredApprovals::get(), None);
		}
	}

	fn approve(request: RequestId, approver: Approver) -> DispatchResult {
		let (mut open, document) = Self::request_and_commitment(request)?;
		if let Approver::Organization(organization) = approver {
			ensure!(organization != document.organization, Error::<T>::OwnOrganization);
			// The requester's organization when it asked, or now: neither approves.
			ensure!(
				open.requester_organization != Some(organization)
					&& T::Permissions::organization_of(&open.requester) != Some(organization),
				Error::<T>::RequestersOrganization
			);
		}
		let RequestStatus::AwaitingApproval { expires_at, approvals } = open.status else {
			return Err(Error::<T>::NotAwaitingApproval.into());
		};
		ensure!(frame_system::Pallet::<T>::block_number() < expires_at, Error::<T>::GrantExpired);
		ensure!(!Approvals::<T>::contains_key(request, approver), Error::<T>::AlreadyApproved);

		let approvals = approvals + 1;
		let active = approvals >= T::RequiredApprovals::get();
		if active {
			open.status = RequestStatus::Granted { expires_at };
			let _ = Approvals::<T>::clear_prefix(request, T::RequiredApprovals::get(), None);
		} else {
			open.status = RequestStatus::AwaitingApproval { expires_at, approvals };
			Approvals::<T>::insert(request, approver, ());
		}
		Requests::<T>::insert(request, open);
		Self::deposit_event(Event::DisclosureApproved { request, approver, approvals });
		if active {
			Self::deposit_event(Event::DisclosureActivated { request, expires_at });
		}
		Ok(())
	}

	fn proof_error(error: threshold::ProofError) -> DispatchError {
		match error {
			threshold::ProofError::Malformed => Error::<T>::MalformedProof,
			threshold::ProofError::Invalid | threshold::ProofError::ClaimFalse => {
				Error::<T>::InvalidProof
			}
		}
		.into()
	}

	/// Whether `request` is granted, active and unexpired now.
	pub fn is_active(request: RequestId) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		Requests::<T>::get(request).is_some_and(
			|open| matches!(open.status, RequestStatus::Granted { expires_at } if now < expires_at),
		)
	}

	/// Checks a disclosed field against commitment `commitment`.
	pub fn verify_field(
		commitment: CommitmentId,
		disclosure: &FieldDisclosure,
	) -> Result<(), FieldCheckError> {
		let document =
			Commitments::<T>::get(commitment).ok_or(FieldCheckError::UnknownCommitment)?;
		Ok(fields::verify(&document.schema, &document.root, document.fields, disclosure)?)
	}

	/// The committed value of an organization's metric about a subject in a period, and what
	/// was proved about it.
	pub fn value_of(
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		period: u64,
	) -> Option<(ValueId, CommittedValueOf<T>, ProvenRange)> {
		let subject = SubjectOf::<T>::try_from(subject.to_vec()).ok()?;
		let id = ValueOf::<T>::get((organization, metric, subject, period))?;
		Some((id, Values::<T>::get(id)?, Proven::<T>::get(id)))
	}

	/// Checks the pallet's invariants: open-request counts match the requests; every request's
	/// commitment exists and its fields are in range; approvals are below the count that
	/// activates; proven bounds belong to committed values and do not contradict each other.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let mut counts = alloc::collections::BTreeMap::<T::AccountId, u32>::new();
		for (id, open) in Requests::<T>::iter() {
			*counts.entry(open.requester.clone()).or_default() += 1;
			let document = Commitments::<T>::get(open.commitment)
				.ok_or("a request names an unknown commitment")?;
			ensure!(
				open.fields.iter().all(|f| *f < document.fields),
				"a request names a field out of range"
			);
			let given = Approvals::<T>::iter_prefix(id).count() as u32;
			match open.status {
				RequestStatus::AwaitingApproval { approvals, .. } => ensure!(
					approvals == given && approvals < T::RequiredApprovals::get(),
					"approvals do not match the grant's count"
				),
				_ => ensure!(given == 0, "approvals left on a request not awaiting them"),
			}
		}
		ensure!(
			OpenRequests::<T>::iter().collect::<alloc::collections::BTreeMap<_, _>>() == counts,
			"open-request counts do not match the requests"
		);
		for (id, range) in Proven::<T>::iter() {
			ensure!(Values::<T>::contains_key(id), "bounds of an unknown value");
			if let (Some(low), Some(high)) = (range.at_least, range.at_most) {
				ensure!(low <= high, "proven bounds contradict each other");
			}
		}
		Ok(())
	}
}

impl<T: Config> ThresholdClaims for Pallet<T> {
	fn proven_range(
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		period: u64,
	) -> Option<ProvenRange> {
		Self::value_of(organization, metric, subject, period).map(|(_, _, range)| range)
	}

	fn read_weight() -> Weight {
		T::DbWeight::get().reads(3)
	}
}
