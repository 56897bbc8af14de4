//! Types of the records pallet: metric definitions, records, streams, devices and batches.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::{hashing::blake2_256, prelude::*};
use perfledger_primitives::{MetricId, OrganizationId, Region, Role};
use scale_info::TypeInfo;

pub use frame::hashing::H256;

/// A record, numbered in the order the chain accepted it.
pub type RecordId = u64;
/// An anchored batch, numbered in order.
pub type BatchId = u64;
/// A stream: the records one organization reports of one metric about one subject
/// ([`crate::stream_id`]).
pub type StreamId = H256;
/// What records are about, whichever organization reports them: a metric and a subject
/// ([`crate::topic_id`]).
pub type TopicId = H256;

/// The roles a metric lets report it: at most one of each role (`Role::ALL`, seven).
pub type ReportersOf = BoundedVec<Role, ConstU32<7>>;

/// How values of a metric are written.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum ValueType {
	/// Whole numbers.
	Integer,
	/// Fixed-point decimals with `scale` digits after the point: 21.5 °C at scale 1 is 215.
	Decimal { scale: u8 },
}

impl ValueType {
	/// Digits after the point (0 for integers).
	pub fn scale(&self) -> u8 {
		match self {
			ValueType::Integer => 0,
			ValueType::Decimal { scale } => *scale,
		}
	}
}

/// A value as submitted: `amount` in units of 10^-`scale` (21.5 at scale 1 is 215). The scale
/// must be the metric's: a value is never silently rescaled.
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
pub struct Value {
	/// The value in the metric's smallest unit.
	pub amount: i128,
	/// Digits after the point.
	pub scale: u8,
}

/// What a metric is: the standard data model partners map their ERP/WMS fields to.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct MetricSpec<Name, Unit> {
	/// A name a person understands, such as `Cold-chain temperature`.
	pub name: Name,
	/// Its UCUM unit code, such as `kg`, `h` or `Cel`.
	pub unit: Unit,
	/// Integer or fixed-point decimal.
	pub value_type: ValueType,
	/// The smallest allowed value, in the metric's smallest unit.
	pub min: i128,
	/// The largest allowed value, in the metric's smallest unit.
	pub max: i128,
	/// The reporting period in milliseconds: aggregates are kept per stream and period.
	pub period_ms: u64,
	/// The roles that may report it (an account needs one of them for the record's
	/// organization, metric and region).
	pub reporters: ReportersOf,
	/// Whether only readings signed by a registered device are accepted.
	pub device_only: bool,
}

/// The current state of a metric.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct MetricHead {
	/// The organization that defined it; only its admins revise or retire it.
	pub owner: OrganizationId,
	/// Its current version (1 for the first definition).
	pub version: u32,
	/// Whether it was retired: no more records.
	pub retired: bool,
}

/// One version of a metric's definition. Versions are never edited: a revision adds one.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct MetricVersion<Spec, BlockNumber> {
	/// The definition.
	pub spec: Spec,
	/// When it was adopted.
	pub defined_at: BlockNumber,
}

/// Who submitted a record.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Submitter<AccountId> {
	/// An account with a reporting role.
	Account(AccountId),
	/// A registered device, by its id (the account id of its public key).
	Device(AccountId),
}

impl<AccountId> Submitter<AccountId> {
	/// The account or device id.
	pub fn account(&self) -> &AccountId {
		match self {
			Self::Account(id) | Self::Device(id) => id,
		}
	}
}

/// A record as a reporter submits it.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct RecordInput<Subject, Parents> {
	/// The metric.
	pub metric: MetricId,
	/// What it is about: a supplier, a shipment, a batch, a GS1 identifier (`gtin:…`,
	/// `sscc:…`), a model version.
	pub subject: Subject,
	/// The value, at the metric's scale.
	pub value: Value,
	/// The time it describes, in milliseconds since the Unix epoch.
	pub time: u64,
	/// The hash of the off-chain document behind it. An organization uses a document hash
	/// once, for one record or one batch.
	pub document: H256,
	/// Where the data comes from, for region-scoped grants.
	pub region: Option<Region>,
	/// The records it derives from (provenance: a shipment points at the batches it carried).
	pub parents: Parents,
}

/// A reading signed by a device: a record input with the device's id and counter.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Reading<AccountId, Subject, Parents> {
	/// The device's id: the account id of its public key.
	pub device: AccountId,
	/// The device's last counter + 1, like an account's nonce: a reading with a later counter
	/// waits for the ones before it, and one with an earlier counter is refused (no replay).
	pub counter: u64,
	/// The record.
	pub record: RecordInput<Subject, Parents>,
}

/// What a device signs: a domain tag, the chain's genesis hash and the reading.
pub fn reading_payload<R: Encode>(genesis: &[u8], reading: &R) -> alloc::vec::Vec<u8> {
	(b"perfledger/reading/v1", genesis, reading).encode()
}

/// What a device's key signs to prove its possession when an organization registers it: a
/// domain tag, the chain's genesis hash, the device and the organization (SCALE-encoded, the
/// tag as its raw bytes).
pub fn registration_payload<A: Encode>(
	genesis: &[u8],
	device: &A,
	organization: OrganizationId,
) -> alloc::vec::Vec<u8> {
	(b"perfledger/device/v1", genesis, device, organization).encode()
}

/// An accepted record. Storage is compact: the subject lives once, in its stream.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Record<AccountId, BlockNumber, Parents> {
	/// Its stream.
	pub stream: StreamId,
	/// The metric and the version of its definition the record was checked against.
	pub metric: MetricId,
	pub version: u32,
	/// The organization it reports for.
	pub organization: OrganizationId,
	/// The value, in the metric's smallest unit.
	pub value: i128,
	/// The time it describes, in milliseconds since the Unix epoch.
	pub time: u64,
	/// The hash of the off-chain document behind it.
	pub document: H256,
	/// Where the data comes from.
	pub region: Option<Region>,
	/// The records it derives from.
	pub parents: Parents,
	/// The stream's record before it, if any.
	pub previous: Option<RecordId>,
	/// The hash of the stream's record before it (zero for the first): the hash link.
	pub link: H256,
	/// Who submitted it.
	pub submitter: Submitter<AccountId>,
	/// The block that included it.
	pub recorded_at: BlockNumber,
}

impl<AccountId: Encode, BlockNumber: Encode, Parents: Encode>
	Record<AccountId, BlockNumber, Parents>
{
	/// Its hash: what the next record of the stream links to. See [`Record::hashed_bytes`].
	pub fn hash(&self) -> H256 {
		H256(blake2_256(&self.hashed_bytes()))
	}

	/// The bytes a record's hash covers: hashing encoding v1, frozen. The SCALE encoding of
	/// these fields in this order, written out field by field, so that a later change of the
	/// stored `Record` (a field added by a migration) cannot change any record's hash. A new
	/// hashing encoding would be a v2 chosen by the record, never a change of this one.
	pub fn hashed_bytes(&self) -> alloc::vec::Vec<u8> {
		let mut out = alloc::vec::Vec::new();
		self.stream.encode_to(&mut out);
		self.metric.encode_to(&mut out);
		self.version.encode_to(&mut out);
		self.organization.encode_to(&mut out);
		self.value.encode_to(&mut out);
		self.time.encode_to(&mut out);
		self.document.encode_to(&mut out);
		self.region.encode_to(&mut out);
		self.parents.encode_to(&mut out);
		self.previous.encode_to(&mut out);
		self.link.encode_to(&mut out);
		self.submitter.encode_to(&mut out);
		self.recorded_at.encode_to(&mut out);
		out
	}
}

/// Checks a stream's records, oldest first, as anyone holding them can: each must link to the
/// hash of the one before (the first to zero). Returns the index of the first broken link.
pub fn verify_links<A: Encode, B: Encode, P: Encode>(
	records: &[Record<A, B, P>],
) -> Result<(), usize> {
	let mut expected = H256::zero();
	for (i, record) in records.iter().enumerate() {
		if record.link != expected {
			return Err(i);
		}
		expected = record.hash();
	}
	Ok(())
}

/// A stream: the records one organization reports of one metric about one subject,
/// hash-linked.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Stream<Subject> {
	/// The organization whose records it holds: no other organization writes into it.
	pub organization: OrganizationId,
	/// The metric.
	pub metric: MetricId,
	/// The subject.
	pub subject: Subject,
	/// Its latest record.
	pub head: RecordId,
	/// That record's hash.
	pub head_hash: H256,
	/// How many records it has, corrections included.
	pub length: u64,
	/// The latest time its records describe: a new record may not describe an earlier time.
	pub last_time: u64,
}

/// Why a record superseded an earlier one.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Correction<Reason> {
	/// The record it corrects, which stays readable.
	pub original: RecordId,
	/// Why.
	pub reason: Reason,
}

/// A registered signing device.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Device<Metrics> {
	/// The organization it reports for.
	pub organization: OrganizationId,
	/// The metrics it may report.
	pub metrics: Metrics,
	/// The counter of its latest reading (0 before the first).
	pub counter: u64,
	/// Whether it was retired.
	pub retired: bool,
}

/// The Merkle root of many off-chain records, anchored in one transaction.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Batch<AccountId, Uri, BlockNumber> {
	/// The metric of its records.
	pub metric: MetricId,
	/// The organization it reports for.
	pub organization: OrganizationId,
	/// The root of the tree over its records' hashes (see [`crate::merkle`]).
	pub root: H256,
	/// How many records.
	pub leaves: u32,
	/// The hash of the off-chain document holding the records.
	pub document: H256,
	/// Where that document can be fetched.
	pub uri: Uri,
	/// Who anchored it.
	pub submitter: AccountId,
	/// The block that included it.
	pub anchored_at: BlockNumber,
}

/// What a document hash was used for (each is used once).
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
pub enum DocumentUse {
	/// A record.
	Record(RecordId),
	/// A batch.
	Batch(BatchId),
}

/// A record with what the runtime API adds: its hash and corrections.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RecordView<Record, Reason> {
	/// The record.
	pub record: Record,
	/// Its hash.
	pub hash: H256,
	/// The correction that superseded it, if any.
	pub superseded_by: Option<RecordId>,
	/// What it corrects, if it is a correction.
	pub corrects: Option<Correction<Reason>>,
}

/// A metric in the genesis config (its first version, owned by `owner`).
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct GenesisMetric {
	/// Its id.
	pub id: MetricId,
	/// The owning organization.
	pub owner: OrganizationId,
	/// Its name.
	pub name: alloc::string::String,
	/// Its UCUM unit.
	pub unit: alloc::string::String,
	/// Integer or decimal.
	pub value_type: ValueType,
	/// The allowed range, in the smallest unit.
	pub min: i128,
	pub max: i128,
	/// The reporting period in milliseconds.
	pub period_ms: u64,
	/// The roles that may report it.
	pub reporters: alloc::vec::Vec<Role>,
	/// Whether only registered devices may report it.
	pub device_only: bool,
}
