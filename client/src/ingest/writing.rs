//! Writing: good rows on chain. A record is signed and sent as soon as its checks pass (a
//! device's reading unsigned, built from the row's device fields); rows to batch are grouped
//! by metric, and each full group is sealed: its file written to `<out>/batches/`, its root
//! anchored. At most `--in-flight` transactions wait for finality at once; each outcome is
//! journaled if it wrote, and one that was an error is settled at the end from the chain's
//! finalized state (an error while following a transaction does not mean it was not
//! included).

use super::{
	checking::{Checked, Row},
	Ingest,
};
use crate::{
	chain::{
		runtime,
		runtime::runtime_types::{self, sp_runtime::MultiSignature},
		H256,
	},
	ledger::{self, DocumentUse},
	submit::{self, Finalized},
	validate::{Entry, FieldError},
};
use anyhow::{anyhow, Context, Result};
use futures::{future::BoxFuture, stream::FuturesUnordered, FutureExt, StreamExt};
use serde_json::json;
use sp_crypto_hashing::blake2_256;
use std::{fs, io::Write, str::FromStr};
use subxt::utils::AccountId32;

/// A transaction waiting for finality, and what it writes.
pub(super) enum Pending {
	Record { line: u64, document: H256, row: Box<Row> },
	Batch { metric: u32, document: H256, file: String, leaves: u64, lines: (u64, u64) },
}

impl Pending {
	/// Its document.
	fn document(&self) -> H256 {
		match self {
			Pending::Record { document, .. } | Pending::Batch { document, .. } => *document,
		}
	}
}

/// The transactions waiting for finality.
pub(super) type InFlight = FuturesUnordered<BoxFuture<'static, (Pending, Result<Finalized>)>>;

impl Ingest {
	/// Writes a row as a record, unless its checks say it is rejected or on chain already.
	pub(super) async fn record(&mut self, entry: Entry) -> Result<()> {
		if self.summary.stopped.is_some() {
			self.summary.not_sent += 1;
			return Ok(());
		}
		let Checked::ToSend { stream } = self.check_record(&entry).await? else {
			return Ok(());
		};
		let (line, document) = (entry.line, entry.document);
		let tx = match &entry.signed {
			Some(signed) => match reading_call(&entry) {
				Ok(call) => {
					// Unsigned readings carry no nonce to keep them in order: a device's next
					// reading is sent once its previous one is final (its counter and time
					// must follow it).
					if !self.options.dry_run && !self.devices.insert(signed.device.clone()) {
						self.drain().await?;
						self.devices.insert(signed.device.clone());
					}
					submit::unsigned(&self.at, &call)?
				}
				Err(e) => return self.reject(line, &e.field, &e.message),
			},
			None => {
				let Some(signer) = self.signer.as_mut() else {
					stream.map(|stream| self.streams.insert(stream, entry.time));
					self.summary.not_sent += 1;
					return Ok(());
				};
				signer.sign(&runtime::tx().records().submit_record(record_input(&entry)))?
			}
		};
		stream.map(|stream| self.streams.insert(stream, entry.time));
		if self.options.dry_run {
			self.summary.not_sent += 1;
			return Ok(());
		}
		let row = Row::of(&entry);
		self.wait_for_room().await?;
		self.in_flight.push(
			submit::finalize(tx).map(move |r| (Pending::Record { line, document, row }, r)).boxed(),
		);
		Ok(())
	}

	/// Adds a row to its metric's batch, and seals the batch when it is full.
	pub(super) async fn batch(&mut self, entry: Entry) -> Result<()> {
		let metric = entry.metric;
		let group = self.groups.entry(metric).or_default();
		group.push(entry);
		if group.len() >= self.options.batch_size {
			let entries = std::mem::take(group);
			self.seal(metric, entries).await?;
		}
		Ok(())
	}

	/// Seals every batch that is not empty (the end of the file).
	pub(super) async fn seal_all(&mut self) -> Result<()> {
		for (metric, entries) in std::mem::take(&mut self.groups) {
			if !entries.is_empty() {
				self.seal(metric, entries).await?;
			}
		}
		Ok(())
	}

	/// Writes a batch's file and anchors its root, unless it is on chain already.
	async fn seal(&mut self, metric: u32, entries: Vec<Entry>) -> Result<()> {
		let leaves: Vec<H256> = entries.iter().map(Entry::leaf).collect();
		let root = perfledger_proofs::merkle::root(&leaves).expect("a batch has rows");
		let mut bytes = Vec::with_capacity(entries.len() * 160);
		for entry in &entries {
			serde_json::to_writer(&mut bytes, &crate::batch::Member::from(entry))?;
			bytes.push(b'\n');
		}
		let document = H256(blake2_256(&bytes));
		let name = format!("{document:?}.jsonl");
		let path = self.options.out.join("batches").join(&name);
		if !path.exists() {
			let partial = path.with_extension("partial");
			fs::write(&partial, &bytes)
				.with_context(|| format!("cannot write {}", partial.display()))?;
			fs::rename(&partial, &path)?;
		}
		let file = format!("batches/{name}");
		let lines = (entries[0].line, entries[entries.len() - 1].line);
		let count = entries.len() as u64;
		if self.summary.stopped.is_some() {
			self.summary.not_sent += count;
			return Ok(());
		}
		let pending = Pending::Batch { metric, document, file, leaves: count, lines };
		if let Some(batch) = self.anchored_batch(document, root, count, &name).await? {
			self.summary.batches_already_on_chain += 1;
			self.summary.batch_rows_already_on_chain += count;
			return self.journal(pending.journal_entry(batch, None));
		}
		let Some(signer) = self.signer.as_mut() else {
			self.summary.not_sent += count;
			return Ok(());
		};
		let uri = format!("{}{name}", self.options.uri_base.as_deref().unwrap_or("file:batches/"));
		let call = runtime::tx().records().anchor_batch(
			metric,
			root,
			count as u32,
			document,
			runtime_types::bounded_collections::bounded_vec::BoundedVec(uri.into_bytes()),
		);
		let tx = signer.sign(&call)?;
		self.wait_for_room().await?;
		self.in_flight.push(submit::finalize(tx).map(move |r| (pending, r)).boxed());
		Ok(())
	}

	async fn wait_for_room(&mut self) -> Result<()> {
		while self.in_flight.len() >= self.options.in_flight.max(1) {
			if let Some((pending, outcome)) = self.in_flight.next().await {
				self.done(pending, outcome)?;
			}
		}
		Ok(())
	}

	/// Waits for every transaction in flight.
	pub(super) async fn drain(&mut self) -> Result<()> {
		while let Some((pending, outcome)) = self.in_flight.next().await {
			self.done(pending, outcome)?;
		}
		self.devices.clear();
		Ok(())
	}

	/// Takes the outcomes of the transactions that are final already, without waiting.
	pub(super) fn poll_done(&mut self) -> Result<()> {
		while let Some(Some((pending, outcome))) = self.in_flight.next().now_or_never() {
			self.done(pending, outcome)?;
		}
		Ok(())
	}

	/// A transaction's outcome: journaled if it wrote, reported if the chain refused it.
	fn done(&mut self, pending: Pending, outcome: Result<Finalized>) -> Result<()> {
		let finalized = match outcome {
			Ok(finalized) => finalized,
			Err(e) => {
				self.stop_if_unsent(&e);
				self.unsure.push((pending, format!("{e:#}")));
				return Ok(());
			}
		};
		let events = &finalized.events;
		let id = match &pending {
			Pending::Record { line, .. } => {
				events
					.find_first::<runtime::records::events::Recorded>()
					.ok_or_else(|| anyhow!("line {line}: finalized without a Recorded event"))??
					.record
			}
			Pending::Batch { file, .. } => {
				events
					.find_first::<runtime::records::events::BatchAnchored>()
					.ok_or_else(|| {
						anyhow!("batch {file}: finalized without a BatchAnchored event")
					})??
					.batch
			}
		};
		self.written(pending, id, Some(finalized.block))
	}

	/// Counts and journals a record or batch this run wrote.
	fn written(&mut self, pending: Pending, id: u64, block: Option<H256>) -> Result<()> {
		match &pending {
			Pending::Record { .. } => self.summary.records_written += 1,
			Pending::Batch { leaves, .. } => {
				self.summary.batches_written += 1;
				self.summary.batch_rows_written += leaves;
			}
		}
		self.journal(pending.journal_entry(id, block))
	}

	/// Settles the transactions whose outcome was an error: the chain's finalized state says
	/// whether each document is on chain (an error while following a transaction does not
	/// mean it was not included).
	pub(super) async fn settle_unsure(&mut self, api: &crate::chain::Api) -> Result<()> {
		if self.unsure.is_empty() {
			return Ok(());
		}
		let at = ledger::finalized(api).await?;
		for (pending, error) in std::mem::take(&mut self.unsure) {
			let on_chain = self.document_use(&at, pending.document()).await?;
			// On chain under its document, and written by this organization with this content
			// (another organization's record holding the same document does not count).
			let ours = match (&pending, &on_chain) {
				(Pending::Record { row, .. }, Some(DocumentUse::Record(id))) => {
					self.is_this_row(&at, *id, row).await?
				}
				(Pending::Batch { .. }, Some(DocumentUse::Batch(_))) => true,
				_ => false,
			};
			match (pending, on_chain) {
				(pending @ Pending::Record { .. }, Some(DocumentUse::Record(id)))
				| (pending @ Pending::Batch { .. }, Some(DocumentUse::Batch(id)))
					if ours =>
				{
					self.written(pending, id, None)?;
				}
				(Pending::Record { line, .. }, _) => {
					self.summary.refused_by_chain += 1;
					self.progress.println(&format!(
						"{}:{line}: the chain refused the record: {error}",
						self.file
					));
					writeln!(
						self.rejects,
						"{}",
						json!({ "file": self.file, "line": line, "error": error })
					)?;
				}
				(Pending::Batch { file, leaves, lines, .. }, _) => {
					self.summary.refused_by_chain += leaves;
					self.progress.println(&format!(
						"{}:{}-{}: the chain refused batch {file}: {error}",
						self.file, lines.0, lines.1
					));
					let entry = json!({ "file": self.file, "lines": [lines.0, lines.1], "batch_file": file, "error": error });
					writeln!(self.rejects, "{entry}")?;
				}
			}
		}
		Ok(())
	}

	/// A transaction the node did not take (not one that failed in a block) leaves a gap in the
	/// nonces: nothing after it would be included, so the run stops sending.
	fn stop_if_unsent(&mut self, error: &anyhow::Error) {
		let text = error.to_string();
		if text.starts_with("the node refused it")
			|| text.contains("Invalid")
			|| text.contains("Dropped")
		{
			self.summary.stopped.get_or_insert(text);
		}
	}
}

/// The call input of a record.
fn record_input(
	entry: &Entry,
) -> runtime_types::pallet_records::types::RecordInput<
	runtime_types::bounded_collections::bounded_vec::BoundedVec<u8>,
	runtime_types::bounded_collections::bounded_vec::BoundedVec<u64>,
> {
	use runtime_types::{bounded_collections::bounded_vec::BoundedVec, pallet_records::types};
	types::RecordInput {
		metric: entry.metric,
		subject: BoundedVec(entry.subject.clone()),
		value: types::Value { amount: entry.amount, scale: entry.scale },
		time: entry.time,
		document: entry.document,
		region: None,
		parents: BoundedVec(vec![]),
	}
}

/// The unsigned call of a device-signed reading, or the device field that is wrong.
fn reading_call(
	entry: &Entry,
) -> Result<
	subxt::transactions::StaticPayload<runtime::records::calls::SubmitDeviceReading>,
	FieldError,
> {
	let wrong = |field: &str, message: String| FieldError { field: field.to_owned(), message };
	let signed = entry.signed.as_ref().expect("a signed entry");
	let device =
		parse_account(&signed.device).map_err(|e| wrong("device.device", e.to_string()))?;
	let counter = signed
		.counter
		.parse::<u64>()
		.map_err(|_| wrong("device.counter", format!("`{}` is not a counter", signed.counter)))?;
	let signature =
		parse_signature(&signed.signature).map_err(|e| wrong("device.signature", e.to_string()))?;
	let reading = runtime_types::pallet_records::types::Reading {
		device,
		counter,
		record: record_input(entry),
	};
	Ok(runtime::tx().records().submit_device_reading(reading, signature))
}

/// Why a device's account, as the export gives it, is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum AccountError {
	/// `0x` followed by what is not hex.
	NotHex(String),
	/// Hex, but not 32 bytes.
	NotThirtyTwoBytes(String),
	/// Not `0x`-hex, and not an SS58 address either.
	NotSs58(String),
}

impl std::fmt::Display for AccountError {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		match self {
			AccountError::NotHex(text) => write!(f, "`{text}` is not hex"),
			AccountError::NotThirtyTwoBytes(text) => write!(f, "`{text}` is not 32 bytes"),
			AccountError::NotSs58(text) => write!(f, "`{text}` is not an SS58 address"),
		}
	}
}

impl std::error::Error for AccountError {}

/// An account id, SS58 or 0x-hex.
pub(super) fn parse_account(text: &str) -> Result<AccountId32, AccountError> {
	if let Some(hex) = text.strip_prefix("0x") {
		let bytes = hex::decode(hex).map_err(|_| AccountError::NotHex(text.to_owned()))?;
		let bytes: [u8; 32] =
			bytes.try_into().map_err(|_| AccountError::NotThirtyTwoBytes(text.to_owned()))?;
		return Ok(AccountId32(bytes));
	}
	AccountId32::from_str(text).map_err(|_| AccountError::NotSs58(text.to_owned()))
}

/// Why a device's signature, as the export gives it, is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum SignatureError {
	/// No `scheme:` before the bytes.
	NoScheme(String),
	/// The bytes are not hex.
	NotHex(String),
	/// Not as many bytes as the scheme's signatures have.
	Length { scheme: String, expected: usize, found: usize },
	/// A scheme other than sr25519, ed25519 and ecdsa.
	UnknownScheme(String),
}

impl std::fmt::Display for SignatureError {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		match self {
			SignatureError::NoScheme(text) => {
				write!(f, "`{text}` does not say its scheme (sr25519:0x…)")
			}
			SignatureError::NotHex(text) => write!(f, "`{text}` is not hex"),
			SignatureError::Length { scheme, expected, found } => {
				write!(f, "a {scheme} signature is {expected} bytes, not {found}")
			}
			SignatureError::UnknownScheme(scheme) => {
				write!(f, "unknown signature scheme `{scheme}` (sr25519, ed25519, ecdsa)")
			}
		}
	}
}

impl std::error::Error for SignatureError {}

/// A signature written `sr25519:0x…`, `ed25519:0x…` or `ecdsa:0x…`.
pub(super) fn parse_signature(text: &str) -> Result<MultiSignature, SignatureError> {
	let (scheme, hex) =
		text.split_once(':').ok_or_else(|| SignatureError::NoScheme(text.to_owned()))?;
	let bytes = hex::decode(hex.trim_start_matches("0x"))
		.map_err(|_| SignatureError::NotHex(text.to_owned()))?;
	let wrong = |expected| SignatureError::Length {
		scheme: scheme.to_owned(),
		expected,
		found: bytes.len(),
	};
	Ok(match scheme {
		"sr25519" => MultiSignature::Sr25519(bytes.clone().try_into().map_err(|_| wrong(64))?),
		"ed25519" => MultiSignature::Ed25519(bytes.clone().try_into().map_err(|_| wrong(64))?),
		"ecdsa" => MultiSignature::Ecdsa(bytes.clone().try_into().map_err(|_| wrong(65))?),
		other => return Err(SignatureError::UnknownScheme(other.to_owned())),
	})
}
