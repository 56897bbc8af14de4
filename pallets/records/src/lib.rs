//! # Performance records
//!
//! Performance data that nobody can quietly change afterwards, the reporter included.
//!
//! - **Metric definitions** ([`MetricSpec`]): name, UCUM unit, value type (integer or decimal
//!   with a scale), allowed range, reporting period, the roles that may report it and whether
//!   only registered devices may. An organization's admin defines one
//!   ([`Pallet::define_metric`]); revisions add a version ([`Pallet::revise_metric`]), never
//!   edit one; a retired metric takes no more records ([`Pallet::retire_metric`]).
//! - **Records** ([`Pallet::submit_record`]): a value for a metric about a subject, the time it
//!   describes, the hash of the off-chain document behind it and the records it derives from
//!   (provenance). Each check that fails has its own error: out of range, wrong scale, in the
//!   future beyond [`Config::MaxFutureDrift`], older than the stream's last record, unknown or
//!   retired metric, a reporter without the role, a document hash already used, an unknown
//!   parent.
//! - **Streams are an organization's own**: the records one organization reports of a metric
//!   about a subject form its stream ([`stream_id`]), which no other organization can write
//!   into, reorder or block; document hashes are unique per organization ([`Documents`]), so
//!   copying another organization's pending document hash blocks nothing. Several
//!   organizations may report the same metric about the same subject: each in its own stream.
//! - **Tamper evidence**: each stream is hash-linked: every record holds the
//!   hash of the one before ([`verify_links`]). A correction ([`Pallet::correct_record`]) is a
//!   new record that supersedes an earlier one with a reason; the original stays readable.
//! - **Signed device readings** ([`Pallet::submit_device_reading`]): a device registered by an
//!   organization's device manager ([`Pallet::register_device`]) signs readings with its own
//!   key (sr25519, ed25519 or ecdsa). The reading is an unsigned transaction: the device needs
//!   no account and no funds. The signature must verify and the counter must be the device's
//!   last + 1: a device's readings are ordered like an account's nonces, at the lowest pool
//!   priority and at most [`Config::MaxReadingsPerBlock`] a block.
//! - **Batch anchoring** ([`Pallet::anchor_batch`]): the Merkle root ([`merkle`]) of many
//!   off-chain records in one transaction; inclusion proofs are checked by the runtime API.
//! - **Aggregates**: count, sum, min and max per stream and reporting period
//!   ([`perfledger_primitives::Aggregate`]), and per reporter ([`ReporterAggregates`]), updated
//!   at constant cost on every record, read by other pallets through
//!   [`perfledger_primitives::PerformanceData`].
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

use alloc::vec::Vec;
use frame::{
	deps::sp_runtime::traits::{IdentifyAccount, Verify},
	hashing::blake2_256,
	prelude::*,
	traits::UnixTime,
};
pub use pallet::*;
use perfledger_primitives::{
	Action, Aggregate, MetricId, MetricReliance, OrganizationId, PerformanceData, Permissions,
	Target,
};
/// The Merkle tree of batch anchoring (shared with clients and selective disclosure).
pub use perfledger_proofs::merkle;
pub use types::*;
pub use weights::WeightInfo;

/// A metric name as stored.
pub type NameOf<T> = BoundedVec<u8, <T as Config>::MaxNameLength>;
/// A UCUM unit code as stored.
pub type UnitOf<T> = BoundedVec<u8, <T as Config>::MaxUnitLength>;
/// A subject as stored.
pub type SubjectOf<T> = BoundedVec<u8, <T as Config>::MaxSubjectLength>;
/// A record's parents.
pub type ParentsOf<T> = BoundedVec<RecordId, <T as Config>::MaxParents>;
/// A correction's reason.
pub type ReasonOf<T> = BoundedVec<u8, <T as Config>::MaxReasonLength>;
/// A batch document's URI.
pub type UriOf<T> = BoundedVec<u8, <T as Config>::MaxUriLength>;
/// The metrics a device may report.
pub type DeviceMetricsOf<T> = BoundedVec<MetricId, <T as Config>::MaxDeviceMetrics>;
/// A metric definition as calls take it.
pub type MetricSpecOf<T> = MetricSpec<NameOf<T>, UnitOf<T>>;
/// A stored version of a metric definition.
pub type MetricVersionOf<T> = MetricVersion<MetricSpecOf<T>, BlockNumberFor<T>>;
/// A record input as calls take it.
pub type RecordInputOf<T> = RecordInput<SubjectOf<T>, ParentsOf<T>>;
/// A device reading as calls take it.
pub type ReadingOf<T> = Reading<<T as frame_system::Config>::AccountId, SubjectOf<T>, ParentsOf<T>>;
/// A record as stored.
pub type RecordOf<T> =
	Record<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, ParentsOf<T>>;
/// A stream as stored.
pub type StreamOf<T> = Stream<SubjectOf<T>>;
/// A batch as stored.
pub type BatchOf<T> = Batch<<T as frame_system::Config>::AccountId, UriOf<T>, BlockNumberFor<T>>;
/// A record as the runtime API shows it.
pub type RecordViewOf<T> = RecordView<RecordOf<T>, ReasonOf<T>>;

/// Sets up what the benchmarks need in the pallets this one asks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Grants `role` to `who` in an organization of its own (the same one for every call),
	/// and returns that organization.
	fn grant(who: &AccountId, role: perfledger_primitives::Role) -> OrganizationId;
}

/// The most generations [`Pallet::provenance`] walks, whatever the caller asks: a runtime API
/// anyone can call must not spin.
pub const MAX_PROVENANCE_DEPTH: u32 = 64;

/// The id of the stream of the records `organization` reports of `metric` about `subject`:
/// `blake2_256(("perfledger/stream/v2", organization, metric, subject))` (SCALE, the tag as its
/// raw bytes).
///
/// A stream that existed before storage version 2 keeps the id it had then, its
/// [`topic_id`]: [`Pallet::stream_key`] finds which of the two an organization's stream has.
pub fn stream_id(organization: OrganizationId, metric: MetricId, subject: &[u8]) -> StreamId {
	H256(blake2_256(&(b"perfledger/stream/v2", organization, metric, subject).encode()))
}

/// The id of what records of `metric` about `subject` are about, whichever organization reports
/// them: `blake2_256((metric, subject))`. A reporter's figures are kept under it
/// ([`ReporterAggregates`]), and it was the id of the one stream of a metric and subject before
/// storage version 2.
pub fn topic_id(metric: MetricId, subject: &[u8]) -> TopicId {
	H256(blake2_256(&(metric, subject).encode()))
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

		/// The chain's clock, to refuse records describing the future.
		type Clock: UnixTime;

		/// What relies on a metric's definition (the SLA escrow's active agreements): while
		/// something does, its owner may not retire it or change what its records may hold.
		type MetricReliance: MetricReliance;

		/// A device's signature; its signer's account id is the device's id.
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Parameter
			+ DecodeWithMemTracking;

		/// How far into the future (ms) a record's time may be, for clock drift.
		#[pallet::constant]
		type MaxFutureDrift: Get<u64>;

		/// The longest metric name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;

		/// The longest UCUM unit code, in bytes.
		#[pallet::constant]
		type MaxUnitLength: Get<u32>;

		/// The longest subject, in bytes.
		#[pallet::constant]
		type MaxSubjectLength: Get<u32>;

		/// The most parents a record may name.
		#[pallet::constant]
		type MaxParents: Get<u32>;

		/// The longest correction reason, in bytes.
		#[pallet::constant]
		type MaxReasonLength: Get<u32>;

		/// The longest batch URI, in bytes.
		#[pallet::constant]
		type MaxUriLength: Get<u32>;

		/// The most metrics one device may report.
		#[pallet::constant]
		type MaxDeviceMetrics: Get<u32>;

		/// The priority of device readings in the transaction pool. Keep it below every signed
		/// transaction's (the transaction payment pallet gives those at least 1): readings pay
		/// no fee, so they must never push a paying transaction out of a block or the pool.
		#[pallet::constant]
		type ReadingPriority: Get<TransactionPriority>;

		/// How many blocks a device reading stays valid in the transaction pool.
		#[pallet::constant]
		type ReadingLongevity: Get<u64>;

		/// The most device readings one block includes, whatever their devices: the rest of the
		/// block stays for signed transactions.
		#[pallet::constant]
		type MaxReadingsPerBlock: Get<u32>;

		/// Who may retire any device, whatever its organization (the council).
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Grants roles for the benchmarks, through the runtime's permissions.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next metric gets.
	#[pallet::storage]
	pub type NextMetricId<T: Config> = StorageValue<_, MetricId, ValueQuery>;

	/// Every metric's owner, current version and status.
	#[pallet::storage]
	pub type Metrics<T: Config> = StorageMap<_, Twox64Concat, MetricId, MetricHead>;

	/// Every version of every metric's definition.
	#[pallet::storage]
	pub type MetricVersions<T: Config> =
		StorageDoubleMap<_, Twox64Concat, MetricId, Twox64Concat, u32, MetricVersionOf<T>>;

	/// The id the next record gets.
	#[pallet::storage]
	pub type NextRecordId<T: Config> = StorageValue<_, RecordId, ValueQuery>;

	/// Every record, by id.
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Twox64Concat, RecordId, RecordOf<T>>;

	/// Every stream's head, by id ([`stream_id`]; a stream older than storage version 2 keeps
	/// its [`topic_id`]).
	#[pallet::storage]
	pub type Streams<T: Config> = StorageMap<_, Identity, StreamId, StreamOf<T>>;

	/// What each document hash was used for, by document and organization: an organization
	/// uses a document hash once (for one record or one batch); another organization's use of
	/// the same hash does not block it. All the uses of a hash are one prefix read.
	#[pallet::storage]
	pub type Documents<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, H256, Twox64Concat, OrganizationId, DocumentUse>;

	/// Corrections, by the correcting record.
	#[pallet::storage]
	pub type Corrections<T: Config> =
		StorageMap<_, Twox64Concat, RecordId, Correction<ReasonOf<T>>>;

	/// The correction that superseded a record, by the superseded record.
	#[pallet::storage]
	pub type SupersededBy<T: Config> = StorageMap<_, Twox64Concat, RecordId, RecordId>;

	/// Running figures per stream and reporting period.
	#[pallet::storage]
	pub type Aggregates<T: Config> =
		StorageDoubleMap<_, Identity, StreamId, Twox64Concat, u64, Aggregate>;

	/// Running figures per topic ([`topic_id`]: metric and subject), reporting period and
	/// reporter (account or device), so that other pallets can count only the reporters they
	/// trust, whatever organization those reported for.
	#[pallet::storage]
	pub type ReporterAggregates<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Identity, TopicId>,
			NMapKey<Twox64Concat, u64>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		Aggregate,
	>;

	/// Registered devices, by id (the account id of the device's public key).
	#[pallet::storage]
	pub type Devices<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Device<DeviceMetricsOf<T>>>;

	/// The id the next batch gets.
	#[pallet::storage]
	pub type NextBatchId<T: Config> = StorageValue<_, BatchId, ValueQuery>;

	/// Anchored batches, by id.
	#[pallet::storage]
	pub type Batches<T: Config> = StorageMap<_, Twox64Concat, BatchId, BatchOf<T>>;

	/// How many device readings the block (by number) has included so far; a count of another
	/// block is stale and counts as zero, so no hook has to reset it.
	#[pallet::storage]
	pub type ReadingsInBlock<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Metric definitions at genesis (version 1 each).
		pub metrics: Vec<GenesisMetric>,
		#[serde(skip)]
		pub _marker: PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut next = NextMetricId::<T>::get();
			for m in &self.metrics {
				assert!(!Metrics::<T>::contains_key(m.id), "metric {} appears twice", m.id);
				let spec = MetricSpec {
					name: m.name.as_bytes().to_vec().try_into().expect("name fits MaxNameLength"),
					unit: m.unit.as_bytes().to_vec().try_into().expect("unit fits MaxUnitLength"),
					value_type: m.value_type,
					min: m.min,
					max: m.max,
					period_ms: m.period_ms,
					reporters: m.reporters.clone().try_into().expect("at most five roles"),
					device_only: m.device_only,
				};
				Pallet::<T>::check_spec(&spec).expect("a genesis metric is valid");
				Pallet::<T>::store_version(m.id, m.owner, 1, spec);
				next = next.max(m.id + 1);
			}
			NextMetricId::<T>::put(next);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An organization defined a metric (version 1).
		MetricDefined { metric: MetricId, owner: OrganizationId },
		/// A metric got a new version of its definition.
		MetricRevised { metric: MetricId, version: u32 },
		/// A metric was retired: it takes no more records.
		MetricRetired { metric: MetricId },
		/// A record was accepted; `hash` is what the stream's next record links to.
		Recorded {
			record: RecordId,
			stream: StreamId,
			metric: MetricId,
			organization: OrganizationId,
			hash: H256,
		},
		/// A record superseded an earlier one, which stays readable.
		Corrected { record: RecordId, original: RecordId },
		/// An organization registered a signing device for some metrics.
		DeviceRegistered { device: T::AccountId, organization: OrganizationId },
		/// A device was retired: its readings are refused.
		DeviceRetired { device: T::AccountId },
		/// The Merkle root of a batch of off-chain records was anchored.
		BatchAnchored { batch: BatchId, metric: MetricId, root: H256, leaves: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No metric has this id.
		UnknownMetric,
		/// The metric was retired: it takes no more records.
		MetricRetired,
		/// Only the admins of the organization that owns the metric may revise or retire it.
		NotMetricOwner,
		/// The caller may not do this: it holds no live grant of a role that permits it (for
		/// this organization, metric and region).
		NotPermitted,
		/// The caller acts for no organization.
		NoOrganization,
		/// The metric's name or unit is empty, or the unit is not printable ASCII.
		BadNameOrUnit,
		/// The metric's minimum is above its maximum.
		BadRange,
		/// The reporting period is zero.
		BadPeriod,
		/// A metric needs at least one reporting role.
		NoReporters,
		/// A decimal metric's scale is above 18.
		BadScale,
		/// The value is outside the metric's allowed range.
		ValueOutOfRange,
		/// The value's scale is not the metric's.
		WrongScale,
		/// The record's time is in the future beyond the allowed clock drift.
		TimeInFuture,
		/// The record's time is before the last record of the organization's stream.
		TimeBeforeStreamHead,
		/// The organization already used this document hash, for a record or a batch.
		DuplicateDocument,
		/// A parent record does not exist.
		UnknownParent,
		/// The metric takes signed device readings only.
		DeviceOnly,
		/// No record has this id.
		UnknownRecord,
		/// The record was already superseded by a correction.
		AlreadySuperseded,
		/// The device is already registered.
		DeviceExists,
		/// No device has this id.
		UnknownDevice,
		/// The device was retired.
		DeviceRetired,
		/// The device is not registered for this metric.
		DeviceNotForMetric,
		/// The device's signature does not verify.
		BadSignature,
		/// The reading's counter is not above the device's last: a replay or a stale reading.
		StaleCounter,
		/// A device is registered for at least one metric.
		NoDeviceMetrics,
		/// The reading's counter is not the device's last + 1: an earlier reading is missing.
		/// A device's readings are included in counter order, like an account's nonces; a
		/// reading the chain refused does not use its counter, so the next one reuses it.
		CounterNotNext,
		/// The device's organization is suspended or gone: its devices' readings are refused.
		OrganizationInactive,
		/// The block already holds `MaxReadingsPerBlock` device readings.
		TooManyReadings,
		/// The registration's proof of possession does not verify: it must be the device key's
		/// signature over [`registration_payload`] for the caller's organization.
		BadProofOfPossession,
		/// A device reading is corrected by nobody: its device signed it, and no account may
		/// put another value in its place.
		DeviceReadingNotCorrectable,
		/// Only the account that submitted a record may correct it: a correction by anyone else
		/// would move a value out of that reporter's figures.
		NotOriginalReporter,
		/// A batch has at least one leaf.
		EmptyBatch,
		/// A revision may not change the unit, value type or reporting period.
		IncompatibleRevision,
		/// No ids are left.
		Overflow,
		/// An active agreement settles by this metric: until it ends, the metric is not retired
		/// and a revision changes its name only (not its range, reporting roles or devices-only
		/// rule, which would refuse records the agreement counts on).
		MetricInUse,
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
		/// Defines a metric (version 1), owned by the caller's organization.
		///
		/// The caller must be a live admin of its organization.
		///
		/// ## Errors
		/// - `NotPermitted`, `NoOrganization`, `BadNameOrUnit`, `BadRange`, `BadPeriod`,
		///   `NoReporters`, `BadScale`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::define_metric())]
		pub fn define_metric(origin: OriginFor<T>, spec: MetricSpecOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let owner = T::Permissions::organization_of(&who).ok_or(Error::<T>::NoOrganization)?;
			ensure!(
				T::Permissions::may(&who, Action::Administer, &Target::organization(owner)),
				Error::<T>::NotPermitted
			);
			Self::check_spec(&spec)?;
			let metric = NextMetricId::<T>::get();
			NextMetricId::<T>::put(metric.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Self::store_version(metric, owner, 1, spec);
			Self::deposit_event(Event::MetricDefined { metric, owner });
			Ok(())
		}

		/// Adds a version of a metric's definition; records are checked against the newest. A
		/// revision keeps the unit, value type and reporting period, so that a stream's values
		/// and aggregates stay comparable: it may change the name, range, reporting roles and
		/// whether only devices report. While an active agreement settles by the metric
		/// ([`Config::MetricReliance`]), only the name may change: the owner cannot refuse the
		/// records an agreement of other organizations counts on.
		///
		/// The caller must be a live admin of the organization that owns the metric.
		///
		/// ## Errors
		/// - `UnknownMetric`, `MetricRetired`, `NotMetricOwner`, `IncompatibleRevision`,
		///   `MetricInUse`, and those of `define_metric`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::revise_metric())]
		pub fn revise_metric(
			origin: OriginFor<T>,
			metric: MetricId,
			spec: MetricSpecOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let head = Self::owned_metric(&who, metric)?;
			Self::check_spec(&spec)?;
			let (_, current) = Self::current_spec(metric)?;
			ensure!(
				spec.unit == current.unit
					&& spec.value_type == current.value_type
					&& spec.period_ms == current.period_ms,
				Error::<T>::IncompatibleRevision
			);
			let renamed_only = MetricSpec { name: current.name.clone(), ..spec.clone() } == current;
			ensure!(renamed_only || !T::MetricReliance::relied_on(metric), Error::<T>::MetricInUse);
			let version = head.version.checked_add(1).ok_or(Error::<T>::Overflow)?;
			Self::store_version(metric, head.owner, version, spec);
			Self::deposit_event(Event::MetricRevised { metric, version });
			Ok(())
		}

		/// Retires a metric: it takes no more records; its records stay. Not while an active
		/// agreement settles by it ([`Config::MetricReliance`]).
		///
		/// The caller must be a live admin of the organization that owns the metric.
		///
		/// ## Errors
		/// - `UnknownMetric`, `MetricRetired`, `NotMetricOwner`, `MetricInUse`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire_metric())]
		pub fn retire_metric(origin: OriginFor<T>, metric: MetricId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::owned_metric(&who, metric)?;
			ensure!(!T::MetricReliance::relied_on(metric), Error::<T>::MetricInUse);
			Metrics::<T>::mutate(metric, |head| {
				if let Some(head) = head {
					head.retired = true;
				}
			});
			Self::deposit_event(Event::MetricRetired { metric });
			Ok(())
		}

		/// Submits a record for the caller's organization.
		///
		/// The caller must hold a live grant of one of the metric's reporting roles for its
		/// organization, the metric and the record's region.
		///
		/// ## Errors
		/// - `UnknownMetric`, `MetricRetired`, `NoOrganization`, `NotPermitted`, `DeviceOnly`,
		///   `WrongScale`, `ValueOutOfRange`, `TimeInFuture`, `TimeBeforeStreamHead`,
		///   `DuplicateDocument`, `UnknownParent`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::submit_record(input.parents.len() as u32))]
		pub fn submit_record(origin: OriginFor<T>, input: RecordInputOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let organization =
				T::Permissions::organization_of(&who).ok_or(Error::<T>::NoOrganization)?;
			let (version, spec) = Self::current_spec(input.metric)?;
			ensure!(!spec.device_only, Error::<T>::DeviceOnly);
			let target = Self::record_target(organization, &input);
			ensure!(Self::may_report(&who, &spec, &target), Error::<T>::NotPermitted);
			let stream = Self::check_record(organization, &spec, &input)?;
			let submitter = Submitter::Account(who);
			Self::append(input, stream, version, &spec, organization, submitter, None);
			Ok(())
		}

		/// Corrects a record: a new record of the same stream, describing the same time, that
		/// supersedes it with a reason. The original stays readable; aggregates count the new
		/// value in its place, in the same reporter's figures.
		///
		/// Only the account that submitted the original may correct it, and only while it still
		/// holds a reporting role of the metric for the original's organization. Device readings
		/// and records of device-only metrics are not corrected: the device's signature is the
		/// evidence, and no account may put another value in its place.
		///
		/// ## Errors
		/// - `UnknownRecord`, `AlreadySuperseded`, `UnknownMetric`, `MetricRetired`,
		///   `DeviceReadingNotCorrectable`, `DeviceOnly`, `NotOriginalReporter`,
		///   `NotPermitted`, `WrongScale`, `ValueOutOfRange`, `DuplicateDocument`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::correct_record())]
		pub fn correct_record(
			origin: OriginFor<T>,
			original: RecordId,
			value: Value,
			document: H256,
			reason: ReasonOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let old = Records::<T>::get(original).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(!SupersededBy::<T>::contains_key(original), Error::<T>::AlreadySuperseded);
			let stream = Streams::<T>::get(old.stream).ok_or(Error::<T>::UnknownRecord)?;
			let (version, spec) = Self::current_spec(old.metric)?;
			Self::check_correctable(&who, &old, &spec)?;
			let input = RecordInput {
				metric: old.metric,
				subject: stream.subject,
				value,
				time: old.time,
				document,
				region: old.region,
				parents: old.parents.clone(),
			};
			let target = Self::record_target(old.organization, &input);
			ensure!(Self::may_report(&who, &spec, &target), Error::<T>::NotPermitted);
			Self::check_value(&spec, &value)?;
			ensure!(
				!Documents::<T>::contains_key(document, old.organization),
				Error::<T>::DuplicateDocument
			);
			let correction = Correction { original, reason };
			let stream = Self::stream_key(old.organization, old.metric, &input.subject);
			Self::append(
				input,
				stream,
				version,
				&spec,
				old.organization,
				Submitter::Account(who),
				Some(correction),
			);
			Ok(())
		}

		/// Registers a signing device for some metrics of the caller's organization. `device`
		/// is the account id of the device's public key (for sr25519 and ed25519 the key
		/// itself); the device then signs readings with its key.
		///
		/// `proof` proves that whoever registers the device holds its key: the device key's
		/// signature over [`registration_payload`] (the chain's genesis hash, the device and the
		/// caller's organization). Without it another organization could register a device key
		/// first and take its identity; with it, a proof made for one organization is worthless
		/// to another.
		///
		/// The caller must be a live device manager of its organization, with a grant that covers
		/// every metric registered (a manager scoped to some metrics registers devices for those
		/// only).
		///
		/// ## Errors
		/// - `NoOrganization`, `NoDeviceMetrics`, `UnknownMetric`, `MetricRetired`,
		///   `NotPermitted`, `DeviceExists`, `BadProofOfPossession`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::register_device(metrics.len() as u32))]
		pub fn register_device(
			origin: OriginFor<T>,
			device: T::AccountId,
			metrics: DeviceMetricsOf<T>,
			proof: T::Signature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let organization =
				T::Permissions::organization_of(&who).ok_or(Error::<T>::NoOrganization)?;
			ensure!(!metrics.is_empty(), Error::<T>::NoDeviceMetrics);
			for metric in &metrics {
				Self::current_spec(*metric)?;
			}
			ensure!(Self::manages(&who, organization, &metrics), Error::<T>::NotPermitted);
			ensure!(!Devices::<T>::contains_key(&device), Error::<T>::DeviceExists);
			let payload = registration_payload(Self::genesis().as_ref(), &device, organization);
			ensure!(proof.verify(&payload[..], &device), Error::<T>::BadProofOfPossession);
			Devices::<T>::insert(
				&device,
				Device { organization, metrics, counter: 0, retired: false },
			);
			Self::deposit_event(Event::DeviceRegistered { device, organization });
			Ok(())
		}

		/// Retires a device: its readings are refused from now on.
		///
		/// A live device manager of the device's organization whose grant covers the device's
		/// metrics may retire it, and so may
		/// `ForceOrigin` (the council) any device, including those of an organization that is
		/// suspended or gone and so has no live manager left.
		///
		/// ## Errors
		/// - `UnknownDevice`, `NotPermitted`, `DeviceRetired`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::retire_device())]
		pub fn retire_device(origin: OriginFor<T>, device: T::AccountId) -> DispatchResult {
			let manager = match T::ForceOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			let mut info = Devices::<T>::get(&device).ok_or(Error::<T>::UnknownDevice)?;
			if let Some(who) = manager {
				ensure!(
					Self::manages(&who, info.organization, &info.metrics),
					Error::<T>::NotPermitted
				);
			}
			ensure!(!info.retired, Error::<T>::DeviceRetired);
			info.retired = true;
			Devices::<T>::insert(&device, info);
			Self::deposit_event(Event::DeviceRetired { device });
			Ok(())
		}

		/// Submits a reading signed by a registered device, as an unsigned transaction: the
		/// device's signature over [`reading_payload`] (with the chain's genesis hash)
		/// authorizes it. A device's counters run like an account's nonces: each reading's is
		/// the device's last + 1. In the pool a later reading waits for the one before it; a
		/// block includes at most `MaxReadingsPerBlock` readings, at a priority below every
		/// signed transaction.
		///
		/// ## Errors
		/// - `UnknownDevice`, `DeviceRetired`, `OrganizationInactive`, `DeviceNotForMetric`,
		///   `BadSignature`, `StaleCounter`, `CounterNotNext`, `TooManyReadings`, and the
		///   record checks of `submit_record`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::submit_device_reading(reading.record.parents.len() as u32))]
		pub fn submit_device_reading(
			origin: OriginFor<T>,
			reading: ReadingOf<T>,
			signature: T::Signature,
		) -> DispatchResult {
			ensure_none(origin)?;
			let checked = Self::check_reading(&reading, &signature)?;
			ensure!(!checked.waits, Error::<T>::CounterNotNext);
			let (block, count) = Self::readings_in_block();
			ensure!(count < T::MaxReadingsPerBlock::get(), Error::<T>::TooManyReadings);
			ReadingsInBlock::<T>::put((block, count.saturating_add(1)));
			Devices::<T>::mutate(&reading.device, |device| {
				if let Some(device) = device {
					device.counter = reading.counter;
				}
			});
			Self::append(
				reading.record,
				checked.stream,
				checked.version,
				&checked.spec,
				checked.organization,
				Submitter::Device(reading.device),
				None,
			);
			Ok(())
		}

		/// Anchors the Merkle root of a batch of off-chain records of one metric (see
		/// [`merkle`] for how the tree is built); the runtime API checks inclusion proofs.
		///
		/// The caller must hold a reporting role of the metric for its organization.
		///
		/// ## Errors
		/// - `UnknownMetric`, `MetricRetired`, `NoOrganization`, `NotPermitted`, `EmptyBatch`,
		///   `DuplicateDocument`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::anchor_batch())]
		pub fn anchor_batch(
			origin: OriginFor<T>,
			metric: MetricId,
			root: H256,
			leaves: u32,
			document: H256,
			uri: UriOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let organization =
				T::Permissions::organization_of(&who).ok_or(Error::<T>::NoOrganization)?;
			let (_, spec) = Self::current_spec(metric)?;
			let target = Target::organization(organization).metric(metric);
			ensure!(Self::may_report(&who, &spec, &target), Error::<T>::NotPermitted);
			ensure!(leaves > 0, Error::<T>::EmptyBatch);
			ensure!(
				!Documents::<T>::contains_key(document, organization),
				Error::<T>::DuplicateDocument
			);
			let batch = NextBatchId::<T>::get();
			NextBatchId::<T>::put(batch.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Documents::<T>::insert(document, organization, DocumentUse::Batch(batch));
			Batches::<T>::insert(
				batch,
				Batch {
					metric,
					organization,
					root,
					leaves,
					document,
					uri,
					submitter: who,
					anchored_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::BatchAnchored { batch, metric, root, leaves });
			Ok(())
		}
	}

	// Device readings are unsigned transactions that every client can build (polkadot.js
	// included), which `#[pallet::authorize]`'s general transactions are not yet.
	#[allow(deprecated)]
	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		/// Device readings: valid if the whole reading would be accepted now, or once the
		/// device's earlier readings are in (then it `requires` the tag of the one before).
		/// Each provides `(device, counter)`, so one reading per device and counter is in the
		/// pool, and a device's readings become ready one after another, in counter order.
		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			let Call::submit_device_reading { reading, signature } = call else {
				return InvalidTransaction::Call.into();
			};
			let checked = Self::check_reading(reading, signature).map_err(invalid)?;
			let mut valid = ValidTransaction::with_tag_prefix("PerfledgerReading")
				.priority(T::ReadingPriority::get())
				.and_provides((&reading.device, reading.counter))
				.longevity(T::ReadingLongevity::get())
				.propagate(true);
			if checked.waits {
				valid = valid.and_requires((&reading.device, reading.counter.saturating_sub(1)));
			}
			valid.build()
		}

		/// In a block: the reading must be the device's next, and the block must have room for
		/// it (`ExhaustsResources` leaves it in the pool for the next block). Only the cheap
		/// checks run here (the device, its organization, its metrics, the counter); the
		/// signature and the record are checked by the call, whose benchmarked weight pays for
		/// them once: a reading with a bad signature that an author puts in a block fails there
		/// and writes nothing.
		fn pre_dispatch(call: &Self::Call) -> Result<(), TransactionValidityError> {
			let Call::submit_device_reading { reading, .. } = call else {
				return Err(InvalidTransaction::Call.into());
			};
			if Self::readings_in_block().1 >= T::MaxReadingsPerBlock::get() {
				return Err(InvalidTransaction::ExhaustsResources.into());
			}
			let (_, waits) = Self::reading_place(reading).map_err(invalid)?;
			if waits {
				return Err(InvalidTransaction::Future.into());
			}
			Ok(())
		}
	}
}

/// A pallet error as the pool reports it: `Custom` with the error's index.
fn invalid(error: DispatchError) -> TransactionValidityError {
	let code = match error {
		DispatchError::Module(m) => m.error[0],
		_ => u8::MAX,
	};
	TransactionValidityError::Invalid(InvalidTransaction::Custom(code))
}

/// What [`Pallet::check_reading`] found: the metric's version and definition, the device's
/// organization and its stream of the reading, and whether the reading waits for earlier ones
/// (its counter is above the device's last + 1).
struct CheckedReading<Spec> {
	version: u32,
	spec: Spec,
	organization: OrganizationId,
	stream: StreamId,
	waits: bool,
}

impl<T: Config> Pallet<T> {
	/// Checks a metric definition.
	fn check_spec(spec: &MetricSpecOf<T>) -> DispatchResult {
		let printable = |b: &u8| b.is_ascii_graphic();
		ensure!(
			!spec.name.is_empty() && !spec.unit.is_empty() && spec.unit.iter().all(printable),
			Error::<T>::BadNameOrUnit
		);
		ensure!(spec.min <= spec.max, Error::<T>::BadRange);
		ensure!(spec.period_ms > 0, Error::<T>::BadPeriod);
		ensure!(!spec.reporters.is_empty(), Error::<T>::NoReporters);
		ensure!(spec.value_type.scale() <= 18, Error::<T>::BadScale);
		Ok(())
	}

	/// Stores version `version` of `metric`, owned by `owner`, as its current one.
	fn store_version(metric: MetricId, owner: OrganizationId, version: u32, spec: MetricSpecOf<T>) {
		let defined_at = frame_system::Pallet::<T>::block_number();
		MetricVersions::<T>::insert(metric, version, MetricVersion { spec, defined_at });
		Metrics::<T>::insert(metric, MetricHead { owner, version, retired: false });
	}

	/// The metric's head, if `who` is a live admin of its owner and it is not retired.
	fn owned_metric(who: &T::AccountId, metric: MetricId) -> Result<MetricHead, DispatchError> {
		let head = Metrics::<T>::get(metric).ok_or(Error::<T>::UnknownMetric)?;
		ensure!(!head.retired, Error::<T>::MetricRetired);
		ensure!(
			T::Permissions::may(who, Action::Administer, &Target::organization(head.owner)),
			Error::<T>::NotMetricOwner
		);
		Ok(head)
	}

	/// A metric's head and the current version of its definition, retired or not.
	fn definition(metric: MetricId) -> Option<(MetricHead, MetricSpecOf<T>)> {
		let head = Metrics::<T>::get(metric)?;
		let version = MetricVersions::<T>::get(metric, head.version)?;
		Some((head, version.spec))
	}

	/// The current version of a live metric's definition.
	fn current_spec(metric: MetricId) -> Result<(u32, MetricSpecOf<T>), DispatchError> {
		let (head, spec) = Self::definition(metric).ok_or(Error::<T>::UnknownMetric)?;
		ensure!(!head.retired, Error::<T>::MetricRetired);
		Ok((head.version, spec))
	}

	/// What a record of `organization` is about, for the permission check: its metric and
	/// region.
	fn record_target(organization: OrganizationId, input: &RecordInputOf<T>) -> Target {
		let target = Target::organization(organization).metric(input.metric);
		Target { region: input.region, ..target }
	}

	/// Whether `who` holds one of the metric's reporting roles for `target`.
	fn may_report(who: &T::AccountId, spec: &MetricSpecOf<T>, target: &Target) -> bool {
		spec.reporters.iter().any(|role| T::Permissions::has_role(who, *role, target))
	}

	/// Checks a value against the metric: scale, then range.
	fn check_value(spec: &MetricSpecOf<T>, value: &Value) -> DispatchResult {
		ensure!(value.scale == spec.value_type.scale(), Error::<T>::WrongScale);
		ensure!((spec.min..=spec.max).contains(&value.amount), Error::<T>::ValueOutOfRange);
		Ok(())
	}

	/// The id of `organization`'s stream of `metric` about `subject`: the [`topic_id`] if a
	/// stream from before storage version 2 has it and is this organization's, otherwise the
	/// [`stream_id`].
	pub fn stream_key(organization: OrganizationId, metric: MetricId, subject: &[u8]) -> StreamId {
		let topic = topic_id(metric, subject);
		match Streams::<T>::get(topic) {
			Some(stream) if stream.organization == organization => topic,
			_ => stream_id(organization, metric, subject),
		}
	}

	/// Every check of a new record's content for `organization`, without writing. Returns the
	/// organization's stream the record goes to ([`Pallet::stream_key`]).
	fn check_record(
		organization: OrganizationId,
		spec: &MetricSpecOf<T>,
		input: &RecordInputOf<T>,
	) -> Result<StreamId, DispatchError> {
		Self::check_value(spec, &input.value)?;
		let now = T::Clock::now().as_millis() as u64;
		ensure!(
			input.time <= now.saturating_add(T::MaxFutureDrift::get()),
			Error::<T>::TimeInFuture
		);
		let key = Self::stream_key(organization, input.metric, &input.subject);
		if let Some(stream) = Streams::<T>::get(key) {
			ensure!(input.time >= stream.last_time, Error::<T>::TimeBeforeStreamHead);
		}
		ensure!(
			!Documents::<T>::contains_key(input.document, organization),
			Error::<T>::DuplicateDocument
		);
		ensure!(
			input.parents.iter().all(|p| Records::<T>::contains_key(p)),
			Error::<T>::UnknownParent
		);
		Ok(key)
	}

	/// Every check of a device reading, without writing, but its counter's place: a counter
	/// above the device's last + 1 is accepted here and reported as `waits`.
	fn check_reading(
		reading: &ReadingOf<T>,
		signature: &T::Signature,
	) -> Result<CheckedReading<MetricSpecOf<T>>, DispatchError> {
		let (organization, waits) = Self::reading_place(reading)?;
		let payload = reading_payload(Self::genesis().as_ref(), reading);
		ensure!(signature.verify(&payload[..], &reading.device), Error::<T>::BadSignature);
		let (version, spec) = Self::current_spec(reading.record.metric)?;
		let stream = Self::check_record(organization, &spec, &reading.record)?;
		Ok(CheckedReading { version, spec, organization, stream, waits })
	}

	/// The cheap checks of a device reading (no signature, no record): the device is known,
	/// not retired, of an active organization and registered for the metric, and the counter
	/// is above its last. Returns the device's organization and whether the reading waits for
	/// earlier ones (its counter is above the last + 1).
	fn reading_place(reading: &ReadingOf<T>) -> Result<(OrganizationId, bool), DispatchError> {
		let device = Devices::<T>::get(&reading.device).ok_or(Error::<T>::UnknownDevice)?;
		ensure!(!device.retired, Error::<T>::DeviceRetired);
		ensure!(T::Permissions::is_active(device.organization), Error::<T>::OrganizationInactive);
		ensure!(device.metrics.contains(&reading.record.metric), Error::<T>::DeviceNotForMetric);
		ensure!(reading.counter > device.counter, Error::<T>::StaleCounter);
		Ok((device.organization, reading.counter > device.counter.saturating_add(1)))
	}

	/// Whether `who` manages devices of `organization` for every one of `metrics`: a live device
	/// manager whose grant covers each (a manager scoped to some metrics covers those only).
	fn manages(who: &T::AccountId, organization: OrganizationId, metrics: &[MetricId]) -> bool {
		!metrics.is_empty()
			&& metrics.iter().all(|metric| {
				let target = Target::organization(organization).metric(*metric);
				T::Permissions::may(who, Action::ManageDevices, &target)
			})
	}

	/// The chain's genesis hash, which device signatures cover (no replay on another chain).
	fn genesis() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// The current block and how many device readings it has included.
	fn readings_in_block() -> (BlockNumberFor<T>, u32) {
		let now = frame_system::Pallet::<T>::block_number();
		match ReadingsInBlock::<T>::get() {
			(block, count) if block == now => (now, count),
			_ => (now, 0),
		}
	}

	/// Whether `who` may correct `original`: it is no device's reading, its metric takes
	/// records from accounts, and `who` submitted it.
	fn check_correctable(
		who: &T::AccountId,
		original: &RecordOf<T>,
		spec: &MetricSpecOf<T>,
	) -> DispatchResult {
		let Submitter::Account(reporter) = &original.submitter else {
			return Err(Error::<T>::DeviceReadingNotCorrectable.into());
		};
		ensure!(!spec.device_only, Error::<T>::DeviceOnly);
		ensure!(reporter == who, Error::<T>::NotOriginalReporter);
		Ok(())
	}

	/// Appends a checked record to `stream_id`, its organization's stream (creating the stream
	/// with its first record), updates the aggregates, and emits the events.
	fn append(
		input: RecordInputOf<T>,
		stream_id: StreamId,
		version: u32,
		spec: &MetricSpecOf<T>,
		organization: OrganizationId,
		submitter: Submitter<T::AccountId>,
		correction: Option<Correction<ReasonOf<T>>>,
	) {
		let id = NextRecordId::<T>::get();
		NextRecordId::<T>::put(id.saturating_add(1));
		let topic = topic_id(input.metric, &input.subject);
		let stream = Streams::<T>::get(stream_id);
		let record = Record {
			stream: stream_id,
			metric: input.metric,
			version,
			organization,
			value: input.value.amount,
			time: input.time,
			document: input.document,
			region: input.region,
			parents: input.parents,
			previous: stream.as_ref().map(|s| s.head),
			link: stream.as_ref().map_or(H256::zero(), |s| s.head_hash),
			submitter,
			recorded_at: frame_system::Pallet::<T>::block_number(),
		};
		let hash = record.hash();
		let (length, last_time) = stream.as_ref().map_or((0, 0), |s| (s.length, s.last_time));
		Streams::<T>::insert(
			stream_id,
			Stream {
				organization,
				metric: input.metric,
				subject: input.subject,
				head: id,
				head_hash: hash,
				length: length.saturating_add(1),
				last_time: last_time.max(record.time),
			},
		);
		let period = record.time / spec.period_ms;
		let original = correction.as_ref().and_then(|c| Records::<T>::get(c.original));
		let replaced = original.as_ref().map(|o| o.value);
		Aggregates::<T>::mutate(stream_id, period, |slot| fold(slot, record.value, replaced));
		// A correction comes from the original's own reporter (`check_correctable`): the new
		// value replaces the old one in that reporter's figures.
		let reporter = record.submitter.account().clone();
		ReporterAggregates::<T>::mutate((topic, period, &reporter), |slot| {
			fold(slot, record.value, replaced)
		});
		Documents::<T>::insert(record.document, organization, DocumentUse::Record(id));
		Self::deposit_event(Event::Recorded {
			record: id,
			stream: stream_id,
			metric: record.metric,
			organization,
			hash,
		});
		Records::<T>::insert(id, record);
		if let Some(correction) = correction {
			let original = correction.original;
			SupersededBy::<T>::insert(original, id);
			Corrections::<T>::insert(id, correction);
			Self::deposit_event(Event::Corrected { record: id, original });
		}
	}

	/// A record with its hash and corrections.
	pub fn record_view(id: RecordId) -> Option<RecordViewOf<T>> {
		let record = Records::<T>::get(id)?;
		Some(RecordView {
			hash: record.hash(),
			record,
			superseded_by: SupersededBy::<T>::get(id),
			corrects: Corrections::<T>::get(id),
		})
	}

	/// A stream's records, newest first, from `before` (exclusive; the head if `None`), at most
	/// `limit`.
	pub fn history(
		stream: StreamId,
		before: Option<RecordId>,
		limit: u32,
	) -> Vec<(RecordId, RecordOf<T>)> {
		let start = match before {
			Some(id) => {
				Records::<T>::get(id).filter(|r| r.stream == stream).and_then(|r| r.previous)
			}
			None => Streams::<T>::get(stream).map(|s| s.head),
		};
		let mut out = Vec::new();
		let mut next = start;
		while let Some(id) = next {
			if out.len() as u32 >= limit {
				break;
			}
			let Some(record) = Records::<T>::get(id) else { break };
			next = record.previous;
			out.push((id, record));
		}
		out
	}

	/// Checks a whole stream's hash links from its head back. `Ok(length)` if every link holds
	/// and the head's hash is the stream's; otherwise the first record (from the head) whose
	/// stored data no longer matches what the next record or the stream committed to.
	pub fn verify_stream(stream: StreamId) -> Result<u64, RecordId> {
		let Some(info) = Streams::<T>::get(stream) else { return Ok(0) };
		let (mut expected, mut next, mut checked) = (info.head_hash, Some(info.head), 0u64);
		while let Some(id) = next {
			let Some(record) = Records::<T>::get(id) else { return Err(id) };
			if record.hash() != expected {
				return Err(id);
			}
			expected = record.link;
			next = record.previous;
			checked += 1;
		}
		if expected != H256::zero() || checked != info.length {
			return Err(info.head);
		}
		Ok(checked)
	}

	/// A record's ancestors through its parents, breadth first, to `depth` generations (at most
	/// [`MAX_PROVENANCE_DEPTH`]), at most `limit` records.
	pub fn provenance(id: RecordId, depth: u32, limit: u32) -> Vec<(RecordId, RecordOf<T>)> {
		let mut out: Vec<(RecordId, RecordOf<T>)> = Vec::new();
		let mut frontier: Vec<RecordId> =
			Records::<T>::get(id).map(|r| r.parents.into_inner()).unwrap_or_default();
		for _ in 0..depth.min(MAX_PROVENANCE_DEPTH) {
			if frontier.is_empty() {
				break;
			}
			let mut next = Vec::new();
			for parent in frontier {
				if out.len() as u32 >= limit {
					return out;
				}
				if out.iter().any(|(seen, _)| *seen == parent) {
					continue;
				}
				if let Some(record) = Records::<T>::get(parent) {
					next.extend(record.parents.iter().copied());
					out.push((parent, record));
				}
			}
			frontier = next;
		}
		out
	}

	/// Whether `proof` shows `leaf` at `index` in batch `batch`.
	pub fn verify_inclusion(batch: BatchId, leaf: H256, index: u32, proof: Vec<H256>) -> bool {
		Batches::<T>::get(batch)
			.is_some_and(|b| merkle::verify(&b.root, b.leaves, index, &leaf, &proof))
	}
}

impl<T: Config> Pallet<T> {
	/// Invariants: every metric's current version exists; every stream's head is a record of
	/// that stream and of its organization, whose hash the stream holds; a stream is under the
	/// id of its organization, metric and subject (or their topic, from before storage version
	/// 2); every record id is below the next one; every document use names a record or batch
	/// of that organization with that document.
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		for (metric, head) in Metrics::<T>::iter() {
			ensure!(
				MetricVersions::<T>::contains_key(metric, head.version),
				"a metric's current version is missing"
			);
			ensure!(metric < NextMetricId::<T>::get(), "a metric id is not below the next");
		}
		for (id, stream) in Streams::<T>::iter() {
			let head = Records::<T>::get(stream.head).ok_or("a stream's head record is missing")?;
			ensure!(head.stream == id, "a stream's head belongs to another stream");
			ensure!(head.organization == stream.organization, "a stream's head is another's");
			ensure!(
				id == stream_id(stream.organization, stream.metric, &stream.subject)
					|| id == topic_id(stream.metric, &stream.subject),
				"a stream is not under its organization's id"
			);
			ensure!(head.hash() == stream.head_hash, "a stream's head hash does not match");
			ensure!(stream.head < NextRecordId::<T>::get(), "a record id is not below the next");
		}
		for (document, organization, used) in Documents::<T>::iter() {
			ensure!(
				Self::document_user(used) == Some((organization, document)),
				"a document use names another's"
			);
		}
		Ok(())
	}

	/// The organization and document of the record or batch a document use names.
	pub(crate) fn document_user(used: DocumentUse) -> Option<(OrganizationId, H256)> {
		match used {
			DocumentUse::Record(id) => Records::<T>::get(id).map(|r| (r.organization, r.document)),
			DocumentUse::Batch(id) => Batches::<T>::get(id).map(|b| (b.organization, b.document)),
		}
	}
}

/// Adds `value` to a period's figures; a correction replaces the value it supersedes.
fn fold(slot: &mut Option<Aggregate>, value: i128, replaced: Option<i128>) {
	let agg = slot.get_or_insert(Aggregate { min: value, max: value, ..Default::default() });
	agg.min = agg.min.min(value);
	agg.max = agg.max.max(value);
	agg.sum = agg.sum.saturating_add(value);
	match replaced {
		Some(old) => {
			agg.sum = agg.sum.saturating_sub(old);
			agg.superseded = agg.superseded.saturating_add(1);
		}
		None => agg.count = agg.count.saturating_add(1),
	}
}

impl<T: Config> PerformanceData<T::AccountId> for Pallet<T> {
	fn aggregate(
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		period: u64,
	) -> Option<Aggregate> {
		Aggregates::<T>::get(Self::stream_key(organization, metric, subject), period)
	}

	fn aggregate_of(
		metric: MetricId,
		subject: &[u8],
		period: u64,
		reporters: &[T::AccountId],
	) -> Option<Aggregate> {
		let topic = topic_id(metric, subject);
		reporters
			.iter()
			.filter_map(|reporter| ReporterAggregates::<T>::get((topic, period, reporter)))
			.reduce(|a, b| Aggregate {
				count: a.count.saturating_add(b.count),
				sum: a.sum.saturating_add(b.sum),
				min: a.min.min(b.min),
				max: a.max.max(b.max),
				superseded: a.superseded.saturating_add(b.superseded),
			})
	}

	fn period_of(metric: MetricId, time: u64) -> Option<u64> {
		Self::definition(metric).map(|(_, spec)| time / spec.period_ms)
	}

	fn period_ms(metric: MetricId) -> Option<u64> {
		Self::definition(metric).map(|(_, spec)| spec.period_ms)
	}

	fn scale_of(metric: MetricId) -> Option<u8> {
		Self::definition(metric).map(|(_, spec)| spec.value_type.scale())
	}

	fn record(id: u64) -> Option<Target> {
		Records::<T>::get(id).map(|record| Target {
			organization: Some(record.organization),
			metric: Some(record.metric),
			region: record.region,
		})
	}

	fn read_weight() -> Weight {
		T::DbWeight::get().reads(2)
	}
}
