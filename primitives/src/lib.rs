//! Types and traits shared by Perfledger's pallets.
//!
//! Pallets never depend on each other: where one needs another, its `Config` names a trait
//! from here and the runtime wires the pallet that implements it. Nothing here has logic
//! beyond no-op implementations for `()`, used by pallets' mocks and by runtimes that leave
//! a feature out.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use scale_info::TypeInfo;

/// An organization of the consortium.
pub type OrganizationId = u32;

/// An ISO 3166-1 alpha-2 country code, such as `DE` or `JP`: two upper-case ASCII letters.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Region(pub [u8; 2]);

impl Region {
	/// The region, if `code` is two upper-case ASCII letters.
	pub fn new(code: [u8; 2]) -> Option<Self> {
		code.iter().all(u8::is_ascii_uppercase).then_some(Self(code))
	}

	/// Whether this is a well-formed code (two upper-case ASCII letters).
	pub fn is_valid(&self) -> bool {
		Self::new(self.0).is_some()
	}
}

/// How the consortium's membership decisions reach the pallet that keeps organizations.
///
/// The governance pallet calls this when the council admits or removes a member; the
/// permissions pallet implements it by creating or closing the member's organization. Its cost
/// is part of the governance pallet's weights, which the runtime measures with the
/// implementation it wires.
pub trait OrganizationLifecycle<AccountId> {
	/// A member was admitted: create its organization, with `admin` as its first admin.
	fn on_admitted(
		admin: &AccountId,
		name: &[u8],
		region: Region,
	) -> Result<OrganizationId, DispatchError>;

	/// A member left or was removed: suspend the organization whose founding admin is `admin`.
	fn on_removed(admin: &AccountId) -> DispatchResult;

	/// Whether `admin` may found an organization (or get its own back): it holds no role in an
	/// organization it does not own.
	fn may_found(admin: &AccountId) -> bool;
}

impl<AccountId> OrganizationLifecycle<AccountId> for () {
	fn on_admitted(_: &AccountId, _: &[u8], _: Region) -> Result<OrganizationId, DispatchError> {
		Ok(0)
	}
	fn on_removed(_: &AccountId) -> DispatchResult {
		Ok(())
	}
	fn may_found(_: &AccountId) -> bool {
		true
	}
}

/// The consortium council's seats, as the governance pallet changes them.
///
/// The runtime implements it over `pallet-membership`, so that council seats change only
/// through the governance pallet's checks (minimum size, admission by motion).
pub trait CouncilSeats<AccountId> {
	/// The sitting members, sorted.
	fn members() -> Vec<AccountId>;
	/// Seats `who`.
	fn add(who: &AccountId) -> DispatchResult;
	/// Unseats `who`.
	fn remove(who: &AccountId) -> DispatchResult;
	/// Makes `who`, a sitting member, the prime member.
	fn set_prime(who: &AccountId) -> DispatchResult;
	/// The current prime member, if any.
	fn prime() -> Option<AccountId>;
}

/// A metric definition of the performance records.
pub type MetricId = u32;

/// What an account may want to do, as the pallets that guard it ask the permissions pallet.
///
/// The permissions pallet decides which roles permit which action; the other pallets only ask.
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
pub enum Action {
	/// Manage an organization: its members' roles, its escrows.
	Administer,
	/// Submit performance records, streams and batches for an organization.
	SubmitRecord,
	/// Register, rotate and retire an organization's signing devices.
	ManageDevices,
	/// Ask an organization that is not one's own for its disclosed data (the disclosure pallet
	/// asks it of requesters that act for no organization).
	Audit,
	/// Register an organization's contributions to shared AI models (datasets, checkpoints,
	/// code, configurations, evaluations) and the license terms they come under.
	RegisterArtifact,
	/// Score the contributors of a model as an evaluator organization.
	Evaluate,
}

/// A role: a set of actions an account may take.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Role {
	/// Manages an organization: grants and revokes its members' roles, opens its escrows.
	OrganizationAdmin,
	/// Submits the organization's performance records.
	Reporter,
	/// Registers and retires the organization's signing devices.
	DeviceManager,
	/// Asks the organizations its grant's scope covers for their disclosed data, acting for no
	/// organization. Granted by council motion.
	Auditor,
	/// An auditor that answers to a public authority: today it may do what an auditor does;
	/// the role is kept apart so that grants, events and the audit trail say which is which.
	/// Granted by council motion.
	Regulator,
	/// Registers the organization's contributions to shared AI models and their license terms.
	ModelContributor,
	/// Scores the contributors of models for the organization, in scoring rounds.
	Evaluator,
}

impl Role {
	/// Every role, in declaration order.
	pub const ALL: [Role; 7] = [
		Role::OrganizationAdmin,
		Role::Reporter,
		Role::DeviceManager,
		Role::Auditor,
		Role::Regulator,
		Role::ModelContributor,
		Role::Evaluator,
	];
}

/// What an action is about. `None` in a field means the action is not about one in particular:
/// only a grant unscoped in that dimension permits it.
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
pub struct Target {
	/// The organization whose data or funds it touches.
	pub organization: Option<OrganizationId>,
	/// The metric it touches.
	pub metric: Option<MetricId>,
	/// The region the data comes from.
	pub region: Option<Region>,
}

impl Target {
	/// An action on `organization`'s data or funds, of no metric or region in particular.
	pub fn organization(organization: OrganizationId) -> Self {
		Self { organization: Some(organization), ..Default::default() }
	}

	/// The same target, about `metric`.
	pub fn metric(self, metric: MetricId) -> Self {
		Self { metric: Some(metric), ..self }
	}

	/// The same target, about data from `region`.
	pub fn region(self, region: Region) -> Self {
		Self { region: Some(region), ..self }
	}
}

/// Why [`Permissions::acting_for`] refused an account.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Refusal {
	/// The account acts for no organization.
	NoOrganization,
	/// It acts for one, but may not take the action there.
	NotPermitted,
}

/// Who may do what: what the records, disclosure and escrow pallets ask before they act.
///
/// One question, one way to ask it:
/// - "may the signer do this for its own organization, and which is it?":
///   [`Permissions::acting_for`] (most calls: define a metric, commit a value, approve, propose);
/// - "may the signer do this to that data?", when the call names the data and its owner:
///   [`Permissions::may`] (an owner's admin deciding a request, a metric's owner revising it);
/// - "does the signer hold one of the roles this metric lists?": [`Permissions::has_role`]
///   (a metric's reporting roles).
///
/// The permissions pallet implements it (which roles permit which actions is its own table);
/// `()` permits nothing (for mocks and runtimes without permissions, it fails closed).
pub trait Permissions<AccountId> {
	/// The organization `who` acts for, if `who` may take `action` on what `target` makes of
	/// it (the organization alone, or with the metric and region the call is about).
	fn acting_for(
		who: &AccountId,
		action: Action,
		target: impl FnOnce(OrganizationId) -> Target,
	) -> Result<OrganizationId, Refusal> {
		let organization = Self::organization_of(who).ok_or(Refusal::NoOrganization)?;
		if Self::may(who, action, &target(organization)) {
			Ok(organization)
		} else {
			Err(Refusal::NotPermitted)
		}
	}

	/// Whether `who` holds a live grant that permits `action` on `target`.
	fn may(who: &AccountId, action: Action, target: &Target) -> bool;

	/// Whether `who` holds a live grant of `role` that covers `target`.
	fn has_role(who: &AccountId, role: Role, target: &Target) -> bool;

	/// The organization `who` acts for, if any.
	fn organization_of(who: &AccountId) -> Option<OrganizationId>;

	/// Whether `organization` exists and is active (not suspended, not removed).
	fn is_active(organization: OrganizationId) -> bool;

	/// The most weight `may`, `has_role` or `organization_of` can take.
	fn may_weight() -> Weight;
}

impl<AccountId> Permissions<AccountId> for () {
	fn may(_: &AccountId, _: Action, _: &Target) -> bool {
		false
	}
	fn has_role(_: &AccountId, _: Role, _: &Target) -> bool {
		false
	}
	fn organization_of(_: &AccountId) -> Option<OrganizationId> {
		None
	}
	fn is_active(_: OrganizationId) -> bool {
		false
	}
	fn may_weight() -> Weight {
		Weight::zero()
	}
}

/// Running figures of one stream (a metric about one subject) over one reporting period, kept
/// up to date by the records pallet on every record at constant cost.
///
/// `count` and `sum` are over the period's current values: a correction replaces the value it
/// supersedes. `min` and `max` are running extremes over every value recorded in the period,
/// superseded ones included, so they are exact over the current values while `superseded` is 0.
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
pub struct Aggregate {
	/// How many current values.
	pub count: u32,
	/// Their sum, in the metric's smallest unit (value x 10^scale).
	pub sum: i128,
	/// The smallest value recorded.
	pub min: i128,
	/// The largest value recorded.
	pub max: i128,
	/// How many values corrections replaced.
	pub superseded: u32,
}

/// Whether something live relies on a metric's definition staying as it is: the SLA escrow's
/// active agreements, which settle by the metric's figures. While one does, the metric's owner
/// may neither retire it nor change what its records may hold (its range, reporting roles or
/// devices-only rule): that would refuse a provider's records and settle its periods as missing
/// data.
pub trait MetricReliance {
	/// Whether anything live relies on `metric`.
	fn relied_on(metric: MetricId) -> bool;
}

impl MetricReliance for () {
	fn relied_on(_: MetricId) -> bool {
		false
	}
}

/// What the records pallet tells other pallets (the SLA escrow settles from it).
pub trait PerformanceData<AccountId> {
	/// The figures of `organization`'s records of `metric` about `subject` in reporting period
	/// `period` (its stream's).
	fn aggregate(
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		period: u64,
	) -> Option<Aggregate>;

	/// The same figures over the records of `reporters` only (accounts or devices); `None` if
	/// none of them recorded any.
	fn aggregate_of(
		metric: MetricId,
		subject: &[u8],
		period: u64,
		reporters: &[AccountId],
	) -> Option<Aggregate>;

	/// The reporting period of `metric` that `time` (ms since the Unix epoch) falls in.
	fn period_of(metric: MetricId, time: u64) -> Option<u64>;

	/// The length of `metric`'s reporting periods (ms): period `p` is `[p x length, (p + 1) x
	/// length)`.
	fn period_ms(metric: MetricId) -> Option<u64>;

	/// The decimal scale of `metric`'s values (0 for integers).
	fn scale_of(metric: MetricId) -> Option<u8>;

	/// What record `id` is about: the organization that recorded it, its metric and its region.
	fn record(id: u64) -> Option<Target>;

	/// The most weight one of these reads can take.
	fn read_weight() -> Weight;
}

impl<AccountId> PerformanceData<AccountId> for () {
	fn aggregate(_: OrganizationId, _: MetricId, _: &[u8], _: u64) -> Option<Aggregate> {
		None
	}
	fn aggregate_of(_: MetricId, _: &[u8], _: u64, _: &[AccountId]) -> Option<Aggregate> {
		None
	}
	fn period_of(_: MetricId, _: u64) -> Option<u64> {
		None
	}
	fn period_ms(_: MetricId) -> Option<u64> {
		None
	}
	fn scale_of(_: MetricId) -> Option<u8> {
		None
	}
	fn record(_: u64) -> Option<Target> {
		None
	}
	fn read_weight() -> Weight {
		Weight::zero()
	}
}

/// What the records pallet tells other pallets about each record it appends: the attribution
/// pallet releases a sponsor's milestone reward when the record it waits for arrives.
///
/// Called once per appended record (a submitted record, a correction, a device reading), after
/// the record is written; it cannot refuse the record. The records pallet's calls reserve
/// `weight` for it and refund what `on_recorded` says it did not use, so that records about
/// nothing anyone waits for cost almost nothing more.
pub trait OnRecorded {
	/// Record `record` of `organization` about `subject` was appended with `value` (in the
	/// metric's smallest unit). Returns the weight it used.
	fn on_recorded(
		record: u64,
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		value: i128,
	) -> Weight;

	/// The most weight `on_recorded` can take.
	fn weight() -> Weight;
}

impl OnRecorded for () {
	fn on_recorded(_: u64, _: OrganizationId, _: MetricId, _: &[u8], _: i128) -> Weight {
		Weight::zero()
	}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// What a value was proved to lie within, without being revealed: the tightest bounds of the
/// threshold proofs made about it (each `None` until one is proved on that side).
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
pub struct ProvenRange {
	/// The value is at least this.
	pub at_least: Option<i64>,
	/// The value is at most this.
	pub at_most: Option<i64>,
}

impl ProvenRange {
	/// Whether the value is proved to be at most `threshold`.
	pub fn at_most(&self, threshold: i64) -> bool {
		self.at_most.is_some_and(|bound| bound <= threshold)
	}

	/// Whether the value is proved to be at least `threshold`.
	pub fn at_least(&self, threshold: i64) -> bool {
		self.at_least.is_some_and(|bound| bound >= threshold)
	}
}

/// What the disclosure pallet tells other pallets: what organizations proved about values they
/// keep hidden (the SLA escrow can settle from it where an agreement allows).
pub trait ThresholdClaims {
	/// What `organization` proved about its value of `metric` for `subject` in `period`.
	fn proven_range(
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		period: u64,
	) -> Option<ProvenRange>;

	/// The most weight `proven_range` can take.
	fn read_weight() -> Weight;
}

impl ThresholdClaims for () {
	fn proven_range(_: OrganizationId, _: MetricId, _: &[u8], _: u64) -> Option<ProvenRange> {
		None
	}
	fn read_weight() -> Weight {
		Weight::zero()
	}
}

/// How every pallet hands out ids: a storage value holding the next id. `allocate` returns it
/// and moves the value on to the one after; it never wraps and never hands out an id twice: when
/// there is no next id it returns `None` and writes nothing (the caller answers with its own
/// error). One read and one write, like the hand-written `get` and `put` it replaces.
pub trait IdSequence<Id> {
	/// The next id, now taken.
	fn allocate() -> Option<Id>;
}

impl<S, Id> IdSequence<Id> for S
where
	S: frame::deps::frame_support::storage::StorageValue<Id, Query = Id>,
	Id: codec::FullCodec + CheckedAdd + One + Copy,
{
	fn allocate() -> Option<Id> {
		S::try_mutate(|next| {
			let id = *next;
			*next = id.checked_add(&One::one()).ok_or(())?;
			Ok::<_, ()>(id)
		})
		.ok()
	}
}
