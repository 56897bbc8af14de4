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
//!   describes, the hash of the document behind it and the records it derives from
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
//!   no account and no funds. The signature must verify, and a device's counters run like an
//!   account's nonces: the reading whose counter is the device's last + 1 is ready, a reading
//!   with a later counter waits in the pool for the ones before it. Readings go at the lowest
//!   pool priority, at most [`Config::MaxReadingsPerBlock`] a block.
//! - **Batch anchoring** ([`Pallet::anchor_batch`]): the Merkle root ([`merkle`]) of many
//!   off-chain records in one transaction; inclusion proofs are checked by the runtime API.
//! - **Aggregates**: count, sum, min and max per stream and reporting period
//!   ([`perfledger_primitives::Aggregate`]), and per reporter ([`ReporterAggregates`]), updated
//!   at constant cost on every record, read by other pallets through
//!   [`perfledger_primitives::PerformanceData`].
//!
//! Permission checks go through [`Config::Permissions`] (the permissions pallet). Every call
//! needs a signed origin except [`Pallet::retire_device`], which also takes
//! [`Config::ForceOrigin`], and [`Pallet::submit_device_reading`], which is unsigned; a call
//! given another origin fails with `BadOrigin`. Each call's `## Errors` lists the errors after
//! that check, in the order they are checked.
//!
//! ## Terminology
//!
//! Each word means one thing in this pallet's docs.
//!
//! - **Metric**: a kind of performance figure an organization (its **owner**) defines: a name,
//!   a UCUM unit, a value type, an allowed range, a reporting period, the roles that may report
//!   it and whether only devices may (by [`MetricId`]; its state is a [`MetricHead`]).
//! - **Metric version**: one version of a metric's definition, never edited
//!   ([`MetricVersion`]); a revision adds the next. Its definition is the metric's **spec**
//!   ([`MetricSpec`]); records are checked against the spec of the current version.
//! - **Subject**: what a record is about: a supplier, a shipment, a batch of goods, a GS1
//!   identifier (`gtin:…`, `sscc:…`), a model version.
//! - **Record**: one value of a metric about a subject, at the time it describes, reported for
//!   an organization ([`Record`], by [`RecordId`]); its **submitter** ([`Submitter`]) is the
//!   account or device that sent it, its **parents** the records it derives from (its
//!   provenance).
//! - **Stream**: an organization's sequence of records of one metric and subject, hash-linked:
//!   each record holds the hash of the one before ([`Stream`], by [`StreamId`]:
//!   [`stream_id`]).
//! - **Topic**: a metric and a subject, whichever organization reports them ([`TopicId`]:
//!   [`topic_id`]). Each reporter's figures are kept per topic.
//! - **Document**: the off-chain source whose hash a record carries (a batch carries its
//!   document's hash too). The chain holds only the hash; an organization uses a document hash
//!   once ([`Documents`]).
//! - **Correction**: a record that supersedes an earlier record of the same stream (the
//!   **original**) with a reason ([`Correction`]); the original stays readable.
//! - **Device**: a signing key an organization registered for some metrics ([`Device`]); its
//!   id is the account id of its public key.
//! - **Reading**: a record signed by a device, with the device's counter ([`Reading`]), sent as
//!   an unsigned transaction.
//! - **Batch**: the Merkle root of many off-chain records of one metric, anchored in one
//!   transaction ([`Batch`], by [`BatchId`]); its records stay in its document.
//! - **Reporting period**: a record's time divided by its metric's `period_ms`; the figures of
//!   a stream or a reporter in one period are an **aggregate**
//!   ([`perfledger_primitives::Aggregate`]).
//!
//! ## Where is what
//!
//! - `lib.rs`: configuration, storage, genesis, events, errors, hooks, the calls with their
//!   docs, and `validate_unsigned` (device readings in the pool). Each call checks its origin
//!   and hands over to a `do_*` function in its feature's file.
//! - `validation.rs`: how a record is validated: every check of a record, a device reading, a
//!   correction (`check_correction`) and a batch, in order, and where the client's copy of the
//!   rules is (`client/src/validate.rs`).
//! - `metrics.rs`: defining, revising and retiring a metric; checking a definition; a metric's
//!   current version.
//! - `streams.rs`: submitting and correcting a record, the stream ids ([`stream_id`],
//!   [`topic_id`], [`Pallet::stream_key`]), appending a record to its stream (the hash link),
//!   and reading back: [`Pallet::record_view`], [`Pallet::history`],
//!   [`Pallet::verify_stream`], [`Pallet::provenance`].
//! - `aggregates.rs`: the running figures per stream, reporter and reporting period, and
//!   [`perfledger_primitives::PerformanceData`] for other pallets.
//! - `devices.rs`: registering and retiring a device, taking its readings (the device's
//!   counter, the readings in a block), the genesis hash signatures cover.
//! - `batches.rs`: anchoring a batch, [`Pallet::verify_inclusion`].
//! - `try_state.rs`: the invariants, checked after every test and by try-runtime.
//! - `types.rs`: every stored or encoded type (their paths are part of the metadata), a
//!   record's hash ([`Record::hash`]), [`verify_links`], and what a device signs
//!   ([`reading_payload`], [`registration_payload`]). `runtime_api.rs`: the runtime API.
//!   `migrations.rs`, `weights.rs`, `benchmarking.rs`. `mock.rs` and `tests.rs` (one test
//!   module per feature).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod aggregates;
mod batches;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod devices;
mod metrics;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod runtime_api;
mod streams;
#[cfg(test)]
mod tests;
mod try_state;
pub mod types;
mod validation;
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
	Action, Aggregate, MetricId, MetricReliance, OnRecorded, OrganizationId, PerformanceData,
	Permissions, Refusal, Target,
};
/// The Merkle tree of batch anchoring (shared with clients and selective disclosure).
pub use perfledger_proofs::merkle;
pub use streams::{stream_id, topic_id, MAX_PROVENANCE_DEPTH};
pub use types::*;
pub use validation::{value_fits, ValueFault};
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

		/// What other pallets do with each appended record (the attribution pallet releases
		/// milestone rewards); its weight is part of every call that appends one.
		type OnRecorded: OnRecorded;

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
		/// - `NoOrganization`: the caller acts for no organization.
		/// - `NotPermitted`: the caller is not a live admin of it.
		/// - `BadNameOrUnit`, `BadRange`, `BadPeriod`, `NoReporters`, `BadScale`: the
		///   definition is not valid (checked in this order).
		/// - `Overflow`: no metric ids are left.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::define_metric())]
		pub fn define_metric(origin: OriginFor<T>, spec: MetricSpecOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_define_metric(who, spec)
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
		/// - `UnknownMetric`: no metric has the id `metric`.
		/// - `MetricRetired`: the metric is retired.
		/// - `NotMetricOwner`: the caller is not a live admin of the metric's owner.
		/// - `BadNameOrUnit`, `BadRange`, `BadPeriod`, `NoReporters`, `BadScale`: the
		///   definition is not valid (checked in this order).
		/// - `IncompatibleRevision`: the revision changes the unit, value type or reporting
		///   period.
		/// - `MetricInUse`: it changes more than the name while an active agreement settles by
		///   the metric.
		/// - `Overflow`: the metric has the last version number.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::revise_metric())]
		pub fn revise_metric(
			origin: OriginFor<T>,
			metric: MetricId,
			spec: MetricSpecOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revise_metric(who, metric, spec)
		}

		/// Retires a metric: it takes no more records; its records stay. Not while an active
		/// agreement settles by it ([`Config::MetricReliance`]).
		///
		/// The caller must be a live admin of the organization that owns the metric.
		///
		/// ## Errors
		/// - `UnknownMetric`: no metric has the id `metric`.
		/// - `MetricRetired`: the metric is retired already.
		/// - `NotMetricOwner`: the caller is not a live admin of the metric's owner.
		/// - `MetricInUse`: an active agreement settles by the metric.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire_metric())]
		pub fn retire_metric(origin: OriginFor<T>, metric: MetricId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retire_metric(who, metric)
		}

		/// Submits a record for the caller's organization, appended to the organization's
		/// stream of the metric and subject. How a record is checked: `validation.rs`.
		///
		/// The caller must hold a live grant of one of the metric's reporting roles for its
		/// organization, the metric and the record's region.
		///
		/// ## Errors
		/// - `NoOrganization`: the caller acts for no organization.
		/// - `UnknownMetric`, `MetricRetired`: the metric is unknown or retired.
		/// - `DeviceOnly`: the metric takes signed device readings only.
		/// - `NotPermitted`: the caller holds none of the metric's reporting roles for the
		///   organization, the metric and the record's region.
		/// - `WrongScale`, `ValueOutOfRange`: the value is not at the metric's scale, or
		///   outside its range.
		/// - `TimeInFuture`: the time is beyond the chain's clock plus `MaxFutureDrift`.
		/// - `TimeBeforeStreamHead`: the time is before the stream's last record's.
		/// - `DuplicateDocument`: the organization already used the document hash.
		/// - `UnknownParent`: a parent record does not exist.
		///
		/// ## Complexity
		/// - O(P), P the number of parents (at most `MaxParents`): each is looked up once.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::submit_record(input.parents.len() as u32)
			.saturating_add(T::OnRecorded::weight()))]
		pub fn submit_record(
			origin: OriginFor<T>,
			input: RecordInputOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let parents = input.parents.len() as u32;
			let hook = Self::do_submit_record(who, input)?;
			Ok(Some(T::WeightInfo::submit_record(parents).saturating_add(hook)).into())
		}

		/// Corrects a record: a new record of the same stream, describing the same time, that
		/// supersedes it with a reason. The original stays readable; aggregates count the new
		/// value in its place, in the same reporter's figures. The correction keeps the
		/// original's time and parents.
		///
		/// Only the account that submitted the original may correct it, and only while it still
		/// holds a reporting role of the metric for the original's organization. Device readings
		/// and records of device-only metrics are not corrected: the device's signature is the
		/// evidence, and no account may put another value in its place.
		///
		/// ## Errors
		/// - `UnknownRecord`: no record has the id `original` (or its stream is missing).
		/// - `AlreadySuperseded`: a correction superseded the original already.
		/// - `UnknownMetric`, `MetricRetired`: the original's metric is unknown or retired.
		/// - `DeviceReadingNotCorrectable`: the original is a device's reading.
		/// - `DeviceOnly`: the metric takes signed device readings only.
		/// - `NotOriginalReporter`: the caller did not submit the original.
		/// - `NotPermitted`: the caller no longer holds a reporting role for the original's
		///   organization, metric and region.
		/// - `WrongScale`, `ValueOutOfRange`: the value is not at the metric's scale, or
		///   outside its range.
		/// - `DuplicateDocument`: the organization already used the document hash.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::correct_record().saturating_add(T::OnRecorded::weight()))]
		pub fn correct_record(
			origin: OriginFor<T>,
			original: RecordId,
			value: Value,
			document: H256,
			reason: ReasonOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let hook = Self::do_correct_record(who, original, value, document, reason)?;
			Ok(Some(T::WeightInfo::correct_record().saturating_add(hook)).into())
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
		/// - `NoOrganization`: the caller acts for no organization.
		/// - `NoDeviceMetrics`: `metrics` is empty.
		/// - `UnknownMetric`, `MetricRetired`: a metric is unknown or retired.
		/// - `NotPermitted`: the caller's device manager grant does not cover every metric.
		/// - `DeviceExists`: the device is registered already.
		/// - `BadProofOfPossession`: `proof` is not the device key's signature over the
		///   registration payload for the caller's organization.
		///
		/// ## Complexity
		/// - O(M), M the number of metrics (at most `MaxDeviceMetrics`): each metric's
		///   definition is read and the caller's grant checked for it.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::register_device(metrics.len() as u32))]
		pub fn register_device(
			origin: OriginFor<T>,
			device: T::AccountId,
			metrics: DeviceMetricsOf<T>,
			proof: T::Signature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_device(who, device, metrics, proof)
		}

		/// Retires a device: its readings are refused from now on.
		///
		/// A live device manager of the device's organization whose grant covers the device's
		/// metrics may retire it, and so may
		/// `ForceOrigin` (the council) any device, including those of an organization that is
		/// suspended or gone and so has no live manager left.
		///
		/// ## Errors
		/// - `UnknownDevice`: no device has the id `device`.
		/// - `NotPermitted`: the signer's device manager grant does not cover the device's
		///   metrics.
		/// - `DeviceRetired`: the device is retired already.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::retire_device())]
		pub fn retire_device(origin: OriginFor<T>, device: T::AccountId) -> DispatchResult {
			let manager = match T::ForceOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_retire_device(manager, device)
		}

		/// Submits a reading signed by a registered device, as an unsigned transaction: the
		/// device's signature over [`reading_payload`] (with the chain's genesis hash)
		/// authorizes it, and anyone may send it. A device's counters run like an account's
		/// nonces: each reading's is the device's last + 1. In the pool a later reading waits
		/// for the one before it; a block includes at most `MaxReadingsPerBlock` readings, at a
		/// priority below every signed transaction.
		///
		/// ## Errors
		/// - `UnknownDevice`: no device has the id `reading.device`.
		/// - `DeviceRetired`: the device is retired.
		/// - `OrganizationInactive`: the device's organization is suspended or gone.
		/// - `DeviceNotForMetric`: the device is not registered for the record's metric.
		/// - `StaleCounter`: the counter is not above the device's last.
		/// - `BadSignature`: the signature does not verify.
		/// - `UnknownMetric`, `MetricRetired`, `WrongScale`, `ValueOutOfRange`,
		///   `TimeInFuture`, `TimeBeforeStreamHead`, `DuplicateDocument`, `UnknownParent`: the
		///   record checks of `submit_record`, for the device's organization.
		/// - `CounterNotNext`: the counter is above the device's last + 1.
		/// - `TooManyReadings`: the block holds `MaxReadingsPerBlock` readings already.
		///
		/// ## Complexity
		/// - O(P), P the number of the record's parents (at most `MaxParents`): each is looked
		///   up once.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::submit_device_reading(reading.record.parents.len() as u32)
			.saturating_add(T::OnRecorded::weight()))]
		pub fn submit_device_reading(
			origin: OriginFor<T>,
			reading: ReadingOf<T>,
			signature: T::Signature,
		) -> DispatchResultWithPostInfo {
			ensure_none(origin)?;
			let parents = reading.record.parents.len() as u32;
			let hook = Self::do_submit_device_reading(reading, signature)?;
			Ok(Some(T::WeightInfo::submit_device_reading(parents).saturating_add(hook)).into())
		}

		/// Anchors the Merkle root of a batch of off-chain records of one metric (see
		/// [`merkle`] for how the tree is built); the runtime API checks inclusion proofs.
		///
		/// The caller must hold a reporting role of the metric for its organization.
		///
		/// ## Errors
		/// - `NoOrganization`: the caller acts for no organization.
		/// - `UnknownMetric`, `MetricRetired`: the metric is unknown or retired.
		/// - `NotPermitted`: the caller holds none of the metric's reporting roles for the
		///   organization and the metric.
		/// - `EmptyBatch`: `leaves` is 0.
		/// - `DuplicateDocument`: the organization already used the document hash.
		/// - `Overflow`: no batch ids are left.
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
			Self::do_anchor_batch(who, metric, root, leaves, document, uri)
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
			let checked =
				Self::check_reading(reading, signature).map_err(crate::devices::invalid)?;
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
			let (_, waits) = Self::reading_place(reading).map_err(crate::devices::invalid)?;
			if waits {
				return Err(InvalidTransaction::Future.into());
			}
			Ok(())
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
