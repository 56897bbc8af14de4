//! Checking, before anything is sent: what the rules (`validate.rs`) cannot see in one row.
//! A record's document must not appear earlier in the file nor be used by this organization
//! on chain, and its time must not be before its stream's last record; rows of a device-only
//! metric need device fields to be records.
//!
//! And what is written already: a rerun sends nothing twice. A record is recognized as this
//! row if it holds the row's metric, subject, value and time and this organization (or the
//! row's device) submitted it; a batch as this batch if it has the batch file's root and
//! number of rows.

use super::{
	writing::{parse_account, Pending},
	Ingest,
};
use crate::{
	chain::{runtime::runtime_types, H256},
	ledger::{self, At, DocumentUse},
	validate::{DeviceOnly, Entry},
};
use anyhow::{bail, Result};

/// What a row's record holds, to recognize it on chain.
pub(super) struct Row {
	metric: u32,
	subject: Vec<u8>,
	amount: i128,
	time: u64,
	/// The device that signed it, if it is a device's reading.
	device: Option<subxt::utils::AccountId32>,
}

impl Row {
	pub(super) fn of(entry: &Entry) -> Box<Row> {
		Box::new(Row {
			metric: entry.metric,
			subject: entry.subject.clone(),
			amount: entry.amount,
			time: entry.time,
			device: entry.signed.as_ref().and_then(|s| parse_account(&s.device).ok()),
		})
	}
}

/// What the checks found for a row that is to be a record.
pub(super) enum Checked {
	/// Rejected, or on chain already (counted and journaled): nothing to send.
	Settled,
	/// To send, to the organization's stream `stream` (none in a dry run).
	ToSend { stream: Option<H256> },
}

impl Ingest {
	/// Device-only metrics need signed readings when written as records.
	pub(super) fn check_signed(&self, entry: &Entry) -> Result<(), DeviceOnly> {
		match self.metrics.get(&entry.metric) {
			Some(rules) if rules.device_only && entry.signed.is_none() => {
				Err(DeviceOnly { metric: entry.metric })
			}
			_ => Ok(()),
		}
	}

	/// Checks a row that is to be a record: its document appears for the first time in this
	/// file and this organization has not used it (unless for this very row: then it is on
	/// chain already), and its time is not before its stream's last record (this run's, or
	/// the chain's).
	pub(super) async fn check_record(&mut self, entry: &Entry) -> Result<Checked> {
		if !self.documents.insert(entry.document) {
			let message = format!("document {:?} appears earlier in this file", entry.document);
			self.reject(entry.line, "document", &message)?;
			return Ok(Checked::Settled);
		}
		match self.document_use(&self.at, entry.document).await? {
			Some(DocumentUse::Record(id))
				if self.is_this_row(&self.at, id, &Row::of(entry)).await? =>
			{
				self.summary.records_already_on_chain += 1;
				let pending = Pending::Record {
					line: entry.line,
					document: entry.document,
					row: Row::of(entry),
				};
				self.journal(pending.journal_entry(id, None))?;
				return Ok(Checked::Settled);
			}
			Some(DocumentUse::Record(id)) => {
				let message = format!(
					"this organization used its document for record {id}, which holds other \
					 content: this row is not on chain (give it a document of its own)"
				);
				self.reject(entry.line, "document", &message)?;
				return Ok(Checked::Settled);
			}
			Some(DocumentUse::Batch(id)) => {
				let message = format!("its document is already anchored as batch {id}");
				self.reject(entry.line, "document", &message)?;
				return Ok(Checked::Settled);
			}
			None => {}
		}
		// The organization's own stream (a dry run, for no organization, checks none).
		let stream = match self.organization {
			Some(organization) => {
				Some(ledger::stream_id(&self.at, organization, entry.metric, &entry.subject).await?)
			}
			None => None,
		};
		let last = match stream {
			Some(stream) => match self.streams.get(&stream) {
				Some(time) => Some(*time),
				None => ledger::stream_last_time(&self.at, stream).await?,
			},
			None => None,
		};
		if let Some(last) = last.filter(|last| entry.time < *last) {
			let message = format!(
				"{} is before the stream's last record ({}): a stream's records go forward in time",
				entry.time, last
			);
			self.reject(entry.line, &format!("time ({})", self.mapping.time.field), &message)?;
			return Ok(Checked::Settled);
		}
		Ok(Checked::ToSend { stream })
	}

	/// Whether a batch is on chain already as this organization anchored it (`Some` of its
	/// id), or not on chain (`None`). A batch document this organization used otherwise is an
	/// error: the rows of `batches/<name>` cannot be written.
	pub(super) async fn anchored_batch(
		&self,
		document: H256,
		root: H256,
		rows: u64,
		name: &str,
	) -> Result<Option<u64>> {
		match self.document_use(&self.at, document).await? {
			Some(DocumentUse::Batch(batch))
				if self.is_this_batch(&self.at, batch, root, rows).await? =>
			{
				Ok(Some(batch))
			}
			Some(DocumentUse::Batch(batch)) => {
				bail!(
					"this organization anchored batch document {document:?} as batch {batch}, \
					 which has another root: the rows of batches/{name} are not on chain"
				)
			}
			Some(DocumentUse::Record(id)) => {
				bail!("this organization used batch document {document:?} for record {id}")
			}
			None => Ok(None),
		}
	}

	/// Whether record `id` is this row as this organization wrote it: the same metric, subject,
	/// value and time, submitted by the row's device or by an account of the signer's
	/// organization (in a dry run, any organization).
	pub(super) async fn is_this_row(&self, at: &At, id: u64, row: &Row) -> Result<bool> {
		use runtime_types::pallet_records::types::Submitter;
		let Some(record) = ledger::record(at, id).await? else { return Ok(false) };
		let by = match (&row.device, &record.submitter) {
			(Some(device), Submitter::Device(d)) => d == device,
			(None, Submitter::Account(_)) => {
				self.organization.is_none_or(|o| record.organization == o)
			}
			_ => false,
		};
		Ok(by
			&& record.metric == row.metric
			&& record.stream
				== ledger::stream_id(at, record.organization, row.metric, &row.subject).await?
			&& record.value == row.amount
			&& record.time == row.time)
	}

	/// What this organization used a document for (in a dry run, any organization's use).
	pub(super) async fn document_use(
		&self,
		at: &At,
		document: H256,
	) -> Result<Option<DocumentUse>> {
		match self.organization {
			Some(organization) => ledger::document_use(at, organization, document).await,
			None => Ok(ledger::document_uses(at, document, None)
				.await?
				.into_iter()
				.next()
				.map(|(_, used)| used)),
		}
	}

	/// Whether batch `id` is this batch as this organization anchored it: the same root and
	/// number of rows (its document is the hash of the batch file, so the rows are the same).
	async fn is_this_batch(&self, at: &At, id: u64, root: H256, rows: u64) -> Result<bool> {
		let Some(batch) = ledger::batch(at, id).await? else { return Ok(false) };
		Ok(batch.root == root
			&& u64::from(batch.leaves) == rows
			&& self.organization.is_none_or(|o| batch.organization == o))
	}
}
