//! The runtime API of records: records, streams, provenance, aggregates and inclusion proofs.

use crate::{BatchId, RecordId, StreamId, H256};
use alloc::vec::Vec;
use codec::Codec;
use perfledger_primitives::{Aggregate, MetricId, OrganizationId};

frame::runtime::apis::sp_api::decl_runtime_apis! {
	/// Reads of the performance records, for auditors, integrators and explorers.
	///
	/// Version 2: a stream is an organization's own, so `stream_id` takes the organization.
	#[api_version(2)]
	pub trait RecordsApi<Record, RecordView, Stream>
	where
		Record: Codec,
		RecordView: Codec,
		Stream: Codec,
	{
		/// A record, with its hash, the correction that superseded it and what it corrects.
		fn record(id: RecordId) -> Option<RecordView>;
		/// The id of the one stream of a metric about a subject (version 1, before streams
		/// were an organization's own).
		#[changed_in(2)]
		fn stream_id(metric: MetricId, subject: Vec<u8>) -> StreamId;
		/// The id of the stream of the records an organization reports of a metric about a
		/// subject (whether it has records yet or not).
		fn stream_id(organization: OrganizationId, metric: MetricId, subject: Vec<u8>) -> StreamId;
		/// A stream's head: its subject, latest record and hash, length and last time.
		fn stream(stream: StreamId) -> Option<Stream>;
		/// A stream's records, newest first, before `before` (the head if none), at most
		/// `limit` (capped at 1,000).
		fn history(stream: StreamId, before: Option<RecordId>, limit: u32) -> Vec<(RecordId, Record)>;
		/// Checks the stream's hash links: `Ok(records checked)`, or the first record (from
		/// the head) that no longer matches what was committed to.
		fn verify_stream(stream: StreamId) -> Result<u64, RecordId>;
		/// A record's ancestors through its parents, breadth first, to `depth` generations
		/// (capped at 1,000 records).
		fn provenance(record: RecordId, depth: u32) -> Vec<(RecordId, Record)>;
		/// The figures of a stream in a reporting period.
		fn aggregate(stream: StreamId, period: u64) -> Option<Aggregate>;
		/// Whether `proof` shows `leaf` (a record's 32-byte hash) at `index` in the batch.
		fn verify_inclusion(batch: BatchId, leaf: H256, index: u32, proof: Vec<H256>) -> bool;
	}
}
