//! `perfledger ingest`: an export in, records or Merkle-anchored batches on chain.
//!
//! Every row is mapped and checked locally first; a bad row is reported by file, line and
//! field, and nothing is written for it. Good rows go on chain as individual records (signed
//! readings for device exports) or, in volume, as batches: each batch's rows are kept in
//! `<out>/batches/<document>.jsonl`, whose hash is the document anchored with the Merkle root.
//! A rerun writes nothing twice: records are recognized by their document hash, batches by the
//! hash of their file (the same rows make the same batches). `<out>/journal.jsonl` lists what
//! is on chain; `<out>/summary.json` what this run did.

use crate::{
	chain::{self, runtime, runtime::runtime_types, H256},
	keys::{self, KeyArgs},
	ledger::{self, At, DocumentUse},
	mapping::Mapping,
	progress::Progress,
	source::Source,
	submit::{self, Finalized, Signer},
	validate::{self, Entry, MetricRules},
};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, ValueEnum};
use futures::{future::BoxFuture, stream::FuturesUnordered, FutureExt, StreamExt};
use serde_json::json;
use sp_crypto_hashing::blake2_256;
use std::{
	collections::{BTreeMap, HashMap, HashSet},
	fs::{self, File, OpenOptions},
	io::Write,
	path::PathBuf,
	str::FromStr,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
};

/// How good rows are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Mode {
	/// One record per row.
	Records,
	/// Merkle-anchored batches of rows.
	Batches,
	/// Records for small exports, batches beyond `--batch-threshold` rows.
	Auto,
}

/// `perfledger ingest`.
#[derive(Args, Debug)]
pub struct IngestArgs {
	/// The export: CSV, JSON Lines or EPCIS 2.0 JSON, as the mapping says.
	pub file: PathBuf,
	/// The mapping file (TOML).
	#[arg(long)]
	pub mapping: PathBuf,
	/// Where batch files, the journal and the summary are kept.
	#[arg(long, default_value = "perfledger-out")]
	pub out: PathBuf,
	/// Records, batches, or chosen by volume.
	#[arg(long, value_enum, default_value = "auto")]
	pub mode: Mode,
	/// In auto mode, more valid rows than this are written as batches.
	#[arg(long, default_value_t = 1000)]
	pub batch_threshold: usize,
	/// Rows per batch (at most; the last batch of each metric may hold fewer).
	#[arg(long, default_value_t = 10_000)]
	pub batch_size: usize,
	/// Where the batch files will be published: a batch's URI is this followed by its file
	/// name. By default `file:batches/<file>`.
	#[arg(long)]
	pub uri_base: Option<String>,
	/// Check everything and say what would be written; sign and send nothing.
	#[arg(long)]
	pub dry_run: bool,
	/// At most this many transactions waiting for finality at once (a node takes at most
	/// 1,024 subscriptions per connection).
	#[arg(long, default_value_t = 1000)]
	pub in_flight: usize,
	#[command(flatten)]
	pub keys: KeyArgs,
}

/// What a run did, by row.
#[derive(Default, Debug, serde::Serialize)]
struct Summary {
	mode: String,
	rows: u64,
	skipped_by_filter: u64,
	rejected: u64,
	refused_by_chain: u64,
	records_written: u64,
	batches_written: u64,
	batch_rows_written: u64,
	records_already_on_chain: u64,
	batches_already_on_chain: u64,
	batch_rows_already_on_chain: u64,
	not_sent: u64,
	dry_run: bool,
	interrupted_before_line: Option<u64>,
	stopped: Option<String>,
	/// Reading, checking, hashing and signing every row.
	read_seconds: f64,
	/// Everything, up to the last transaction's finality.
	seconds: f64,
}

/// What a row's record holds, to recognize it on chain.
struct Row {
	metric: u32,
	subject: Vec<u8>,
	amount: i128,
	time: u64,
	/// The device that signed it, if it is a device's reading.
	device: Option<subxt::utils::AccountId32>,
}

impl Row {
	fn of(entry: &Entry) -> Box<Row> {
		Box::new(Row {
			metric: entry.metric,
			subject: entry.subject.clone(),
			amount: entry.amount,
			time: entry.time,
			device: entry.signed.as_ref().and_then(|s| parse_account(&s.device).ok()),
		})
	}
}

/// A transaction waiting for finality, and what it writes.
enum Pending {
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

	/// Its journal line, once it is record or batch `id` (in `block`, if known).
	fn journal_entry(&self, id: u64, block: Option<H256>) -> serde_json::Value {
		match self {
			Pending::Record { line, document, .. } => json!({ "kind": "record", "line": line,
				"document": document, "record": id, "block": block }),
			Pending::Batch { metric, document, file, leaves, lines } => json!({ "kind": "batch",
				"batch": id, "metric": metric, "document": document, "file": file,
				"leaves": leaves, "first_line": lines.0, "last_line": lines.1, "block": block }),
		}
	}
}

type InFlight = FuturesUnordered<BoxFuture<'static, (Pending, Result<Finalized>)>>;

struct Ingest {
	args: IngestArgs,
	file: String,
	mapping: Mapping,
	at: At,
	signer: Option<Signer>,
	/// The signer's organization (none in a dry run): what it finds on chain counts as written
	/// only if this organization wrote it.
	organization: Option<u32>,
	journal: File,
	rejects: File,
	summary: Summary,
	progress: Progress,
	in_flight: InFlight,
	unsure: Vec<(Pending, String)>,
	streams: HashMap<H256, u64>,
	/// Devices with a reading in flight.
	devices: HashSet<String>,
	documents: HashSet<H256>,
	groups: BTreeMap<u32, Vec<Entry>>,
	metrics: BTreeMap<u32, MetricRules>,
}

/// Runs an import; the exit code is 0 if every row was written or already on chain, 2 if
/// some were rejected, refused or not sent.
pub async fn run(url: &str, args: IngestArgs) -> Result<i32> {
	let mapping = Mapping::load(&args.mapping)?;
	let source = Source::open(&args.file, mapping.format)?;
	// Two connections: one sends transactions and follows them, the other reads. Reads on the
	// connection that carries hundreds of transaction subscriptions wait tens of milliseconds
	// each; on their own they take a fraction of one.
	let api = chain::connect(url).await?;
	let reads = chain::connect(url).await?;

	// The signer first: it waits for an interrupted run's transactions to be final, so that
	// the state read next holds everything already written.
	let (signer, organization) = if args.dry_run {
		(None, None)
	} else {
		let keypair = args.keys.keypair()?;
		let account = keypair.public_key().to_account_id();
		let Some(organization) =
			ledger::organization_of(&ledger::finalized(&reads).await?, &account).await?
		else {
			bail!(
				"the signer {} acts for no organization: it holds no live organization role",
				keys::address(&keypair)
			);
		};
		eprintln!("signing as {}", keys::address(&keypair));
		(Some(Signer::new(&api, keypair).await?), Some(organization))
	};
	let at = ledger::finalized(&reads).await?;
	let metrics = ledger::rules_of(&at, &mapping).await?;
	let limits = ledger::limits(&at).await?;

	fs::create_dir_all(args.out.join("batches"))
		.with_context(|| format!("cannot create {}", args.out.display()))?;
	let append = |name: &str| {
		OpenOptions::new()
			.create(true)
			.append(true)
			.open(args.out.join(name))
			.with_context(|| format!("cannot write {}", args.out.join(name).display()))
	};
	let (journal, rejects) = (append("journal.jsonl")?, append("rejected.jsonl")?);
	let file = args.file.display().to_string();
	let progress = Progress::new("ingest", source.size);
	let mut ingest = Ingest {
		summary: Summary { dry_run: args.dry_run, ..Default::default() },
		args,
		file,
		mapping,
		at,
		signer,
		organization,
		journal,
		rejects,
		progress,
		in_flight: FuturesUnordered::new(),
		unsure: Vec::new(),
		streams: HashMap::new(),
		devices: HashSet::new(),
		documents: HashSet::new(),
		groups: BTreeMap::new(),
		metrics,
	};

	let interrupted = Arc::new(AtomicBool::new(false));
	let flag = interrupted.clone();
	tokio::spawn(async move {
		if tokio::signal::ctrl_c().await.is_ok() {
			flag.store(true, Ordering::SeqCst);
		}
	});

	let mut mode = ingest.args.mode;
	let mut buffered = Vec::new();
	let mut source = source;
	let need_signature = mode == Mode::Records;
	let mut columns_checked = false;
	while let Some(row) = source.next() {
		if interrupted.load(Ordering::SeqCst) {
			let line = match &row {
				Ok(row) => row.line,
				Err(e) => e.line,
			};
			ingest.summary.interrupted_before_line = Some(line);
			break;
		}
		ingest.summary.rows += 1;
		let row = match row {
			Ok(row) => row,
			Err(e) => {
				ingest.reject(e.line, "row", &e.message)?;
				continue;
			}
		};
		if !columns_checked {
			columns_checked = true;
			validate::check_columns(&ingest.mapping, &row)
				.map_err(|e| anyhow!("mapping file {}: {e}", ingest.args.mapping.display()))?;
		}
		if !validate::selected(&ingest.mapping, &row) {
			ingest.summary.skipped_by_filter += 1;
			continue;
		}
		let entry = match validate::entry(
			&ingest.mapping,
			&row,
			&ingest.metrics,
			&limits,
			need_signature,
		) {
			Ok(entry) => entry,
			Err(e) => {
				ingest.reject(row.line, &e.field, &e.message)?;
				continue;
			}
		};
		if mode == Mode::Auto {
			buffered.push(entry);
			if buffered.len() > ingest.args.batch_threshold {
				mode = Mode::Batches;
				for entry in std::mem::take(&mut buffered) {
					ingest.batch(entry).await?;
				}
			}
		} else if mode == Mode::Records {
			ingest.record(entry).await?;
		} else {
			ingest.batch(entry).await?;
		}
		if ingest.summary.rows.is_multiple_of(1024) {
			ingest.poll_done()?;
			let status = ingest.status();
			ingest.progress.update(source.bytes_read(), ingest.summary.rows, &status);
		}
	}
	if mode == Mode::Auto && ingest.summary.interrupted_before_line.is_some() {
		// How the rest of the file would be written is not known yet: write none of it, so
		// that the rerun decides for the whole file.
		ingest.summary.not_sent += buffered.len() as u64;
	} else if mode == Mode::Auto {
		mode = Mode::Records;
		for entry in buffered {
			if let Err(e) = ingest.check_signed(&entry) {
				ingest.reject(entry.line, "metric", &e)?;
				continue;
			}
			ingest.record(entry).await?;
		}
	}
	ingest.summary.read_seconds = ingest.progress.elapsed();
	ingest.summary.mode = format!("{mode:?}").to_lowercase();
	if ingest.summary.interrupted_before_line.is_none() {
		ingest.seal_all().await?;
	} else {
		ingest.summary.not_sent += ingest.groups.values().map(|g| g.len() as u64).sum::<u64>();
	}
	ingest.drain().await?;
	ingest.settle_unsure(&api).await?;
	ingest.progress.finish();
	ingest.summary.seconds = ingest.progress.elapsed();
	ingest.finish()
}

impl Ingest {
	/// A row that will not be written, and why.
	fn reject(&mut self, line: u64, field: &str, message: &str) -> Result<()> {
		self.summary.rejected += 1;
		self.progress.println(&format!("{}:{line}: {field}: {message}", self.file));
		let entry = json!({ "file": self.file, "line": line, "field": field, "error": message });
		writeln!(self.rejects, "{entry}")?;
		Ok(())
	}

	fn journal(&mut self, entry: serde_json::Value) -> Result<()> {
		writeln!(self.journal, "{entry}")?;
		Ok(())
	}

	fn status(&self) -> String {
		let s = &self.summary;
		format!(
			"{} records and {} batches written, {} already on chain, {} rejected",
			s.records_written,
			s.batches_written,
			s.records_already_on_chain + s.batches_already_on_chain,
			s.rejected + s.refused_by_chain
		)
	}

	/// Device-only metrics need signed readings when written as records.
	fn check_signed(&self, entry: &Entry) -> std::result::Result<(), String> {
		match self.metrics.get(&entry.metric) {
			Some(rules) if rules.device_only && entry.signed.is_none() => Err(format!(
				"metric {} takes signed device readings only: map the `device` fields, or anchor \
				 the rows as batches (--mode batches)",
				entry.metric
			)),
			_ => Ok(()),
		}
	}

	/// Whether record `id` is this row as this organization wrote it: the same metric, subject,
	/// value and time, submitted by the row's device or by an account of the signer's
	/// organization (in a dry run, any organization).
	async fn is_this_row(&self, at: &At, id: u64, row: &Row) -> Result<bool> {
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
	async fn document_use(&self, at: &At, document: H256) -> Result<Option<DocumentUse>> {
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

	/// Writes a row as a record, unless its document is on chain already.
	async fn record(&mut self, entry: Entry) -> Result<()> {
		if self.summary.stopped.is_some() {
			self.summary.not_sent += 1;
			return Ok(());
		}
		if !self.documents.insert(entry.document) {
			let message = format!("document {:?} appears earlier in this file", entry.document);
			return self.reject(entry.line, "document", &message);
		}
		match self.document_use(&self.at, entry.document).await? {
			Some(DocumentUse::Record(id))
				if self.is_this_row(&self.at, id, &Row::of(&entry)).await? =>
			{
				self.summary.records_already_on_chain += 1;
				let pending = Pending::Record {
					line: entry.line,
					document: entry.document,
					row: Row::of(&entry),
				};
				return self.journal(pending.journal_entry(id, None));
			}
			Some(DocumentUse::Record(id)) => {
				let message = format!(
					"this organization used its document for record {id}, which holds other \
					 content: this row is not on chain (give it a document of its own)"
				);
				return self.reject(entry.line, "document", &message);
			}
			Some(DocumentUse::Batch(id)) => {
				let message = format!("its document is already anchored as batch {id}");
				return self.reject(entry.line, "document", &message);
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
			return self.reject(
				entry.line,
				&format!("time ({})", self.mapping.time.field),
				&message,
			);
		}
		let (line, document) = (entry.line, entry.document);
		let tx = match &entry.signed {
			Some(signed) => match reading_call(&entry) {
				Ok(call) => {
					// Unsigned readings carry no nonce to keep them in order: a device's next
					// reading is sent once its previous one is final (its counter and time
					// must follow it).
					if !self.args.dry_run && !self.devices.insert(signed.device.clone()) {
						self.drain().await?;
						self.devices.insert(signed.device.clone());
					}
					submit::unsigned(&self.at, &call)?
				}
				Err((field, message)) => return self.reject(line, &field, &message),
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
		if self.args.dry_run {
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
	async fn batch(&mut self, entry: Entry) -> Result<()> {
		let metric = entry.metric;
		let group = self.groups.entry(metric).or_default();
		group.push(entry);
		if group.len() >= self.args.batch_size {
			let entries = std::mem::take(group);
			self.seal(metric, entries).await?;
		}
		Ok(())
	}

	async fn seal_all(&mut self) -> Result<()> {
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
		let path = self.args.out.join("batches").join(&name);
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
		match self.document_use(&self.at, document).await? {
			Some(DocumentUse::Batch(batch))
				if self.is_this_batch(&self.at, batch, root, count).await? =>
			{
				self.summary.batches_already_on_chain += 1;
				self.summary.batch_rows_already_on_chain += count;
				return self.journal(pending.journal_entry(batch, None));
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
			None => {}
		}
		let Some(signer) = self.signer.as_mut() else {
			self.summary.not_sent += count;
			return Ok(());
		};
		let uri = format!("{}{name}", self.args.uri_base.as_deref().unwrap_or("file:batches/"));
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
		while self.in_flight.len() >= self.args.in_flight.max(1) {
			if let Some((pending, outcome)) = self.in_flight.next().await {
				self.done(pending, outcome)?;
			}
		}
		Ok(())
	}

	/// Waits for every transaction in flight.
	async fn drain(&mut self) -> Result<()> {
		while let Some((pending, outcome)) = self.in_flight.next().await {
			self.done(pending, outcome)?;
		}
		self.devices.clear();
		Ok(())
	}

	fn poll_done(&mut self) -> Result<()> {
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
	async fn settle_unsure(&mut self, api: &crate::chain::Api) -> Result<()> {
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

	fn finish(self) -> Result<i32> {
		let s = &self.summary;
		let path = self.args.out.join("summary.json");
		fs::write(&path, serde_json::to_vec_pretty(s)?)?;
		let verb = if s.dry_run { "would write (dry run, nothing signed)" } else { "written" };
		println!("ingest {} ({} mode)", self.file, s.mode);
		println!(
			"  rows read:           {} ({} skipped by the filter)",
			s.rows, s.skipped_by_filter
		);
		println!(
			"  time:                {:.1} s to read, check and hash ({:.0} rows/s); {:.1} s in all, to finality",
			s.read_seconds,
			s.rows as f64 / s.read_seconds.max(1e-9),
			s.seconds
		);
		if s.dry_run {
			println!("  {verb}: {} rows", s.not_sent);
		} else {
			println!(
				"  written now:         {} records, {} batch(es) holding {} rows",
				s.records_written, s.batches_written, s.batch_rows_written
			);
		}
		println!(
			"  already on chain:    {} records, {} batch(es) holding {} rows (not written again)",
			s.records_already_on_chain, s.batches_already_on_chain, s.batch_rows_already_on_chain
		);
		println!(
			"  rejected locally:    {} rows (listed above, and in rejected.jsonl)",
			s.rejected
		);
		println!("  refused by chain:    {} rows", s.refused_by_chain);
		if !s.dry_run {
			println!("  not sent:            {} rows", s.not_sent);
		}
		if let Some(line) = s.interrupted_before_line {
			println!("  interrupted: rows from line {line} on were not read; run again to resume");
		}
		if let Some(reason) = &s.stopped {
			println!("  stopped sending after: {reason}; run again to resume");
		}
		println!("  journal: {}", self.args.out.join("journal.jsonl").display());
		let clean = s.rejected + s.refused_by_chain == 0
			&& (s.dry_run || s.not_sent == 0)
			&& s.interrupted_before_line.is_none();
		Ok(if clean { 0 } else { 2 })
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

/// The unsigned call of a device-signed reading, or the field that is wrong.
fn reading_call(
	entry: &Entry,
) -> std::result::Result<
	subxt::transactions::StaticPayload<runtime::records::calls::SubmitDeviceReading>,
	(String, String),
> {
	let signed = entry.signed.as_ref().expect("a signed entry");
	let device = parse_account(&signed.device).map_err(|e| ("device.device".to_string(), e))?;
	let counter = signed.counter.parse::<u64>().map_err(|_| {
		("device.counter".to_string(), format!("`{}` is not a counter", signed.counter))
	})?;
	let signature =
		parse_signature(&signed.signature).map_err(|e| ("device.signature".to_string(), e))?;
	let reading = runtime_types::pallet_records::types::Reading {
		device,
		counter,
		record: record_input(entry),
	};
	Ok(runtime::tx().records().submit_device_reading(reading, signature))
}

/// An account id, SS58 or 0x-hex.
pub fn parse_account(text: &str) -> std::result::Result<subxt::utils::AccountId32, String> {
	if let Some(hex) = text.strip_prefix("0x") {
		let bytes = hex::decode(hex).map_err(|_| format!("`{text}` is not hex"))?;
		let bytes: [u8; 32] = bytes.try_into().map_err(|_| format!("`{text}` is not 32 bytes"))?;
		return Ok(subxt::utils::AccountId32(bytes));
	}
	subxt::utils::AccountId32::from_str(text)
		.map_err(|_| format!("`{text}` is not an SS58 address"))
}

/// A signature written `sr25519:0x…`, `ed25519:0x…` or `ecdsa:0x…`.
pub fn parse_signature(
	text: &str,
) -> std::result::Result<runtime_types::sp_runtime::MultiSignature, String> {
	use runtime_types::sp_runtime::MultiSignature;
	let (scheme, hex) = text
		.split_once(':')
		.ok_or_else(|| format!("`{text}` does not say its scheme (sr25519:0x…)"))?;
	let bytes =
		hex::decode(hex.trim_start_matches("0x")).map_err(|_| format!("`{text}` is not hex"))?;
	let wrong = |n| format!("a {scheme} signature is {n} bytes, not {}", bytes.len());
	Ok(match scheme {
		"sr25519" => MultiSignature::Sr25519(bytes.clone().try_into().map_err(|_| wrong(64))?),
		"ed25519" => MultiSignature::Ed25519(bytes.clone().try_into().map_err(|_| wrong(64))?),
		"ecdsa" => MultiSignature::Ecdsa(bytes.clone().try_into().map_err(|_| wrong(65))?),
		other => {
			return Err(format!("unknown signature scheme `{other}` (sr25519, ed25519, ecdsa)"))
		}
	})
}
