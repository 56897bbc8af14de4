//! Verification: what an integrator holds, checked against the chain (`perfledger verify`;
//! its subcommands and the final tally are in `commands/verify.rs`). Each check is printed as
//! it is made, `ok` or `FAIL`, and counted in a [`Report`]:
//!
//! - a record: its hash, the hash links of its whole stream (recomputed here, not taken from
//!   the node), and, for a device reading, the device's signature in the block that holds it;
//! - a document file: its hash is on chain, as a record's document or a batch's;
//! - a batch member with its proof: the leaf recomputed from the row, included under the
//!   anchored root (checked here and by the runtime API);
//! - an ingest's output directory: every record and every member of every batch it wrote;
//! - an export: every row is on chain as written (a changed row is found).

use crate::{
	batch::{self, MemberProof},
	chain::{runtime, runtime::runtime_types, Api, H256},
	ledger::{self, At, DocumentUse, Record},
	mapping::Mapping,
	source::Source,
	validate::{self, Limits},
};
use anyhow::{anyhow, Context, Result};
use codec::Encode;
use sp_crypto_hashing::blake2_256;
use std::{
	collections::{BTreeMap, HashMap},
	path::Path,
};

/// The checks made and their outcomes.
#[derive(Default)]
pub struct Report {
	/// How many checks passed.
	pub passed: u64,
	/// How many failed.
	pub failed: u64,
	/// Print failed checks only (for checks of a whole ingest or export).
	pub quiet: bool,
}

impl Report {
	fn check(&mut self, ok: bool, what: impl AsRef<str>) -> bool {
		if ok {
			self.passed += 1;
			if !self.quiet {
				println!("ok    {}", what.as_ref());
			}
		} else {
			self.failed += 1;
			println!("FAIL  {}", what.as_ref());
		}
		ok
	}

	fn note(&self, what: impl AsRef<str>) {
		println!("note  {}", what.as_ref());
	}
}

/// A record's hash as the runtime computes it: BLAKE2-256 of its SCALE encoding.
fn record_hash(record: &Record) -> H256 {
	H256(blake2_256(&record.encode()))
}

/// A record by id: its hash, its stream's hash links, and its device's signature.
pub async fn verify_record(api: &Api, at: &At, id: u64, report: &mut Report) -> Result<()> {
	let Some(record) = ledger::record(at, id).await? else {
		report.check(false, format!("record {id} does not exist"));
		return Ok(());
	};
	let view = at.runtime_apis().call(runtime::runtime_apis().records_api().record(id)).await?;
	let hash = record_hash(&record);
	report.check(
		view.as_ref().is_some_and(|v| v.hash == hash),
		format!("record {id}: its hash {hash:?} is the one the runtime computes"),
	);
	if let Some(by) = view.and_then(|v| v.superseded_by) {
		report.note(format!("record {id} was superseded by correction {by}"));
	}
	verify_stream(at, id, &record, report).await?;
	if let runtime_types::pallet_records::types::Submitter::Device(device) = &record.submitter {
		verify_device_signature(api, id, &record, device, report).await?;
	}
	Ok(())
}

/// Recomputes the hash links of the record's whole stream, from the head back to the first
/// record, and checks that the record is on that path.
async fn verify_stream(at: &At, id: u64, record: &Record, report: &mut Report) -> Result<()> {
	let stream = at
		.storage()
		.try_fetch(runtime::storage().records().streams(), (record.stream,))
		.await?
		.map(|v| v.decode())
		.transpose()?;
	let Some(stream) = stream else {
		report.check(false, format!("record {id}: its stream {:?} does not exist", record.stream));
		return Ok(());
	};
	let (mut expected, mut next, mut length, mut found) =
		(stream.head_hash, Some(stream.head), 0u64, false);
	let mut broken = None;
	// The stream's records, newest first, a thousand per runtime API call; each one's hash is
	// recomputed here and must be what the record after it links to.
	let mut before = None;
	'pages: while next.is_some() {
		let call = runtime::runtime_apis().records_api().history(record.stream, before, 1000);
		let page = at.runtime_apis().call(call).await?;
		if page.is_empty() {
			broken = Some(format!("record {} is missing", next.unwrap_or_default()));
			break;
		}
		for (current, r) in &page {
			if Some(*current) != next {
				broken =
					Some(format!("the history gives record {current} where {next:?} was linked"));
				break 'pages;
			}
			if record_hash(r) != expected {
				broken = Some(format!(
					"record {current}'s data no longer hashes to what the next record links to"
				));
				break 'pages;
			}
			found |= *current == id;
			expected = r.link;
			next = r.previous;
			length += 1;
		}
		before = page.last().map(|(current, _)| *current);
	}
	if broken.is_none() && (expected != H256::zero() || length != stream.length) {
		broken = Some(format!("the stream's first record does not link to zero, or it has {length} records where {} were counted", stream.length));
	}
	report.check(
		broken.is_none(),
		match &broken {
			None => format!("record {id}: its stream's {length} hash links hold, from the head (record {}) back to the first", stream.head),
			Some(why) => format!("record {id}: its stream's hash links are broken: {why}"),
		},
	);
	report.check(
		found || broken.is_some(),
		format!("record {id} is on its stream's hash-linked path"),
	);
	let on_chain = at
		.runtime_apis()
		.call(runtime::runtime_apis().records_api().verify_stream(record.stream))
		.await?;
	report.check(
		on_chain == Ok(stream.length),
		format!("record {id}: the runtime's own check of the stream agrees ({on_chain:?})"),
	);
	Ok(())
}

/// Finds the device reading in the block that recorded it and checks its signature over the
/// payload the runtime checks: a domain tag, the genesis hash and the reading.
async fn verify_device_signature(
	api: &Api,
	id: u64,
	record: &Record,
	device: &subxt::utils::AccountId32,
	report: &mut Report,
) -> Result<()> {
	let block = api.at_block(record.recorded_at).await?;
	let extrinsics = block.extrinsics().fetch().await?;
	let reading = extrinsics
		.find::<runtime::records::calls::SubmitDeviceReading>()
		.filter_map(|r| r.ok())
		.find(|call| {
			call.reading.record.document == record.document && &call.reading.device == device
		});
	let Some(call) = reading else {
		report.check(
			false,
			format!(
				"record {id}: no device reading with its document in block {}",
				record.recorded_at
			),
		);
		return Ok(());
	};
	let genesis = api.genesis_hash();
	let payload = (b"perfledger/reading/v1", &genesis.0[..], &call.reading).encode();
	use runtime_types::sp_runtime::MultiSignature;
	match &call.signature {
		MultiSignature::Sr25519(signature) => {
			let signature = *signature;
			let ok = subxt_signer::sr25519::verify(
				&subxt_signer::sr25519::Signature(signature),
				&payload,
				&subxt_signer::sr25519::PublicKey(device.0),
			);
			report.check(
				ok,
				format!(
					"record {id}: device {device}'s sr25519 signature over the reading verifies"
				),
			);
		}
		MultiSignature::Ed25519(_) | MultiSignature::Ecdsa(_) | MultiSignature::Eth(_) => {
			report.note(format!("record {id}: the device signed with ed25519, ecdsa or an Ethereum key; this client checks sr25519 only (the runtime checked it when it took the reading)"));
		}
	}
	Ok(())
}

/// A document file: its hash is on chain as a record's or a batch's document, and each record
/// or batch file that holds it is checked in turn.
pub async fn verify_document(api: &Api, at: &At, file: &Path, report: &mut Report) -> Result<()> {
	let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
	let document = H256(blake2_256(&bytes));
	// Each organization uses a document hash once; several may have used this one.
	let uses = ledger::document_uses(at, document, None).await?;
	if uses.is_empty() {
		report.check(false, format!("{}: no record or batch has document {document:?}: the file was changed or never written", file.display()));
	}
	for (organization, used) in uses {
		match used {
			DocumentUse::Record(id) => {
				report.check(
					true,
					format!(
						"{}: document {document:?} is record {id}'s (organization {organization})",
						file.display()
					),
				);
				verify_record(api, at, id, report).await?;
			}
			DocumentUse::Batch(id) => {
				report.check(
					true,
					format!(
						"{}: document {document:?} is batch {id}'s (organization {organization})",
						file.display()
					),
				);
				verify_batch_file(at, id, file, report).await?;
			}
		}
	}
	Ok(())
}

/// A batch member with its proof: its leaf, recomputed from the row, is under the anchored
/// root, checked here and by the runtime.
pub async fn verify_member(at: &At, proof: &MemberProof, report: &mut Report) -> Result<()> {
	let Some(batch) = ledger::batch(at, proof.batch).await? else {
		report.check(false, format!("batch {} does not exist", proof.batch));
		return Ok(());
	};
	let leaf = proof.member.leaf()?;
	let local = perfledger_proofs::merkle::verify(
		&batch.root,
		batch.leaves,
		proof.index,
		&leaf,
		&proof.proof,
	);
	let what = format!("line {} (batch {} member {})", proof.member.line, proof.batch, proof.index);
	report.check(local, format!("{what}: its leaf {leaf:?} is under the anchored root"));
	let call = runtime::runtime_apis().records_api().verify_inclusion(
		proof.batch,
		leaf,
		proof.index,
		proof.proof.clone(),
	);
	let runtime = at.runtime_apis().call(call).await?;
	report.check(runtime, format!("{what}: the runtime's verify_inclusion agrees"));
	Ok(())
}

/// Checks a batch file against an anchored batch: every row's leaf, the root and the count.
async fn verify_batch_file(at: &At, id: u64, path: &Path, report: &mut Report) -> Result<()> {
	let Some(batch) = ledger::batch(at, id).await? else {
		report.check(false, format!("batch {id} does not exist"));
		return Ok(());
	};
	let members = match batch::read(path) {
		Ok(members) => members,
		Err(e) => {
			report.check(false, format!("{e:#}"));
			return Ok(());
		}
	};
	let document = H256(blake2_256(&std::fs::read(path)?));
	report.check(
		document == batch.document,
		format!("batch {id}: {} hashes to its anchored document", path.display()),
	);
	let leaves = batch::leaves(&members)?;
	report.check(
		leaves.len() as u32 == batch.leaves,
		format!("batch {id}: {} rows, {} anchored", leaves.len(), batch.leaves),
	);
	// One changed row changes every row's path to the root, so the check is the root's: it
	// says that the file was changed, not which row (`verify rows` on the export finds that).
	let root = perfledger_proofs::merkle::root(&leaves);
	report.check(
		root == Some(batch.root),
		format!("batch {id}: the Merkle root of its {} rows is the anchored root", leaves.len()),
	);
	Ok(())
}

/// Everything an ingest's journal lists: every record, and every batch file against its
/// anchored batch.
pub async fn verify_ingest(api: &Api, at: &At, out: &Path, report: &mut Report) -> Result<()> {
	let path = out.join("journal.jsonl");
	let text = std::fs::read_to_string(&path)
		.with_context(|| format!("cannot read {}", path.display()))?;
	let mut records = BTreeMap::new();
	let mut batches = BTreeMap::new();
	for (i, line) in text.lines().enumerate() {
		let entry: serde_json::Value = serde_json::from_str(line)
			.with_context(|| format!("{}:{}: not a journal entry", path.display(), i + 1))?;
		let field = |name: &str| {
			entry
				.get(name)
				.and_then(|v| v.as_u64())
				.ok_or_else(|| anyhow!("{}:{}: no `{name}`", path.display(), i + 1))
		};
		match entry.get("kind").and_then(|k| k.as_str()) {
			Some("record") => {
				records.insert(field("record")?, entry.get("document").cloned());
			}
			Some("batch") => {
				let file = entry
					.get("file")
					.and_then(|f| f.as_str())
					.ok_or_else(|| anyhow!("{}:{}: no `file`", path.display(), i + 1))?;
				batches.insert(field("batch")?, file.to_owned());
			}
			_ => return Err(anyhow!("{}:{}: unknown journal entry", path.display(), i + 1)),
		}
	}
	for (id, document) in &records {
		verify_record(api, at, *id, report).await?;
		let on_chain =
			ledger::record(at, *id).await?.map(|r| serde_json::to_value(r.document).ok());
		report.check(
			on_chain == Some(document.clone()),
			format!("record {id}: the journal's document is the record's"),
		);
	}
	for (id, file) in &batches {
		verify_batch_file(at, *id, &out.join(file), report).await?;
	}
	println!(
		"verified {} records and {} batches from {}",
		records.len(),
		batches.len(),
		path.display()
	);
	Ok(())
}

/// An export against the chain: every row, mapped as ingest maps it, is on chain with the same
/// metric, subject, value and time (as a record of `organization`, if given, or in one of the
/// anchored batch files in `out`).
pub async fn verify_rows(
	at: &At,
	file: &Path,
	mapping: &Path,
	out: &Path,
	organization: Option<u32>,
	report: &mut Report,
) -> Result<()> {
	let mapping = Mapping::load(mapping)?;
	// Batch rows, by document, from the output directory's batch files that are anchored.
	let mut in_batches: HashMap<H256, batch::Member> = HashMap::new();
	if let Ok(entries) = std::fs::read_dir(out.join("batches")) {
		for entry in entries.flatten() {
			let path = entry.path();
			if path.extension().is_some_and(|e| e == "jsonl") {
				let document = H256(blake2_256(&std::fs::read(&path)?));
				let uses = ledger::document_uses(at, document, organization).await?;
				if uses.iter().any(|(_, used)| matches!(used, DocumentUse::Batch(_))) {
					for member in batch::read(&path)? {
						in_batches.insert(member.document, member);
					}
				}
			}
		}
	}
	let metrics = ledger::rules_of(at, &mapping).await?;
	// The rows were checked against the chain's limits when they were written.
	let limits = Limits { max_subject: u32::MAX, latest_time: u64::MAX };
	let name = file.display().to_string();
	for row in Source::open(file, mapping.format)? {
		let row = match row {
			Ok(row) => row,
			Err(e) => {
				report.check(false, format!("{name}:{}: {}", e.line, e.message));
				continue;
			}
		};
		if !validate::selected(&mapping, &row) {
			continue;
		}
		let entry = match validate::entry(&mapping, &row, &metrics, &limits, false) {
			Ok(entry) => entry,
			Err(e) => {
				report.check(false, format!("{name}:{}: {e}", row.line));
				continue;
			}
		};
		let line = entry.line;
		// The organization's use of the row's document (without `--organization`, the first
		// organization's whose record holds this row).
		let uses = ledger::document_uses(at, entry.document, organization).await?;
		let mut found = None;
		for (_, used) in &uses {
			if let DocumentUse::Record(id) = used {
				let record = ledger::record(at, *id)
					.await?
					.ok_or_else(|| anyhow!("record {id} is missing"))?;
				let stream =
					ledger::stream_id(at, record.organization, entry.metric, &entry.subject)
						.await?;
				let same = record.metric == entry.metric
					&& record.stream == stream
					&& record.value == entry.amount
					&& record.time == entry.time;
				if same || found.is_none() {
					found = Some((*id, same));
				}
				if same {
					break;
				}
			}
		}
		let batch = uses.iter().find_map(|(_, used)| match used {
			DocumentUse::Batch(id) => Some(*id),
			DocumentUse::Record(_) => None,
		});
		match (found, batch) {
			(Some((id, same)), _) => {
				report.check(same, format!("{name}:{line}: record {id} holds this row's metric, subject, value and time"));
			}
			(None, Some(id)) => {
				report.check(
					false,
					format!("{name}:{line}: its document is batch {id}'s, not a row's"),
				);
			}
			(None, None) => match in_batches.get(&entry.document) {
				Some(member) => {
					let same = member.leaf()? == entry.leaf();
					report.check(same, format!("{name}:{line}: the anchored batch row with its document holds the same record"));
				}
				None => {
					report.check(false, format!("{name}:{line}: no record or batch row has this row's document: the row was changed or never written"));
				}
			},
		}
	}
	Ok(())
}
