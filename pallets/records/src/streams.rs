//! Streams and hash links: where a record goes, how it is appended, and how a stream, a record
//! and its provenance are read back and checked.
//!
//! - A stream is an organization's sequence of records of one metric about one subject, under
//!   [`stream_id`] (a stream from before storage version 2 keeps its [`topic_id`]:
//!   [`Pallet::stream_key`] finds which). No other organization writes into it.
//! - Submitting a record and correcting one check it (`validation.rs`) and then append it to its
//!   stream (`Pallet::append`): the record links to the hash of the stream's record before it
//!   ([`Record::hash`], over [`Record::hashed_bytes`]), the stream's head moves to it, and the
//!   aggregates count its value (`aggregates.rs`).
//! - Anyone can check the links: [`Pallet::verify_stream`] on chain, [`verify_links`] off chain
//!   over a stream's records. [`Pallet::record_view`], [`Pallet::history`] and
//!   [`Pallet::provenance`] read records back for the runtime API.

use crate::*;
use perfledger_primitives::IdSequence;

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

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::submit_record`]: the checks (see `validation.rs`), then the
	/// append; returns the weight the `OnRecorded` hook used.
	pub(crate) fn do_submit_record(
		who: T::AccountId,
		input: RecordInputOf<T>,
	) -> Result<Weight, DispatchError> {
		let organization =
			T::Permissions::organization_of(&who).ok_or(Error::<T>::NoOrganization)?;
		let (version, spec) = Self::current_spec(input.metric)?;
		let target = Self::record_target(organization, &input);
		ensure!(Self::may_report(&who, &spec, &target), Error::<T>::NotPermitted);
		ensure!(!spec.device_only, Error::<T>::DeviceOnly);
		let stream = Self::check_record(organization, &spec, &input)?;
		let submitter = Submitter::Account(who);
		Self::append(input, stream, version, &spec, organization, submitter, None)
	}

	/// The body of [`Pallet::correct_record`]: [`Pallet::check_correction`], then the append
	/// of the correcting record.
	pub(crate) fn do_correct_record(
		who: T::AccountId,
		original: RecordId,
		value: Value,
		document: H256,
		reason: ReasonOf<T>,
	) -> Result<Weight, DispatchError> {
		let checked = Self::check_correction(&who, original, &value, document)?;
		let correction = Correction { original, reason };
		Self::append(
			checked.input,
			checked.stream,
			checked.version,
			&checked.spec,
			checked.organization,
			Submitter::Account(who),
			Some(correction),
		)
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

	/// Appends a checked record to `stream_id`, its organization's stream (creating the stream
	/// with its first record), updates the aggregates, and emits the events; then tells
	/// [`Config::OnRecorded`], whose used weight it returns. Fails (`Overflow`, writing nothing)
	/// only when no record id is left.
	pub(crate) fn append(
		input: RecordInputOf<T>,
		stream_id: StreamId,
		version: u32,
		spec: &MetricSpecOf<T>,
		organization: OrganizationId,
		submitter: Submitter<T::AccountId>,
		correction: Option<Correction<ReasonOf<T>>>,
	) -> Result<Weight, DispatchError> {
		let id = NextRecordId::<T>::allocate().ok_or(Error::<T>::Overflow)?;
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
		let subject = input.subject.clone();
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
		// A correction comes from the original's own reporter (`check_correction`): the new
		// value replaces the old one in that reporter's figures.
		let reporter = record.submitter.account();
		Self::tally(stream_id, topic, period, reporter, record.value, replaced);
		Documents::<T>::insert(record.document, organization, DocumentUse::Record(id));
		Self::deposit_event(Event::Recorded {
			record: id,
			stream: stream_id,
			metric: record.metric,
			organization,
			hash,
		});
		let (metric, value) = (record.metric, record.value);
		Records::<T>::insert(id, record);
		if let Some(correction) = correction {
			let original = correction.original;
			SupersededBy::<T>::insert(original, id);
			Corrections::<T>::insert(id, correction);
			Self::deposit_event(Event::Corrected { record: id, original });
		}
		Ok(T::OnRecorded::on_recorded(id, organization, metric, &subject, value))
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
}
