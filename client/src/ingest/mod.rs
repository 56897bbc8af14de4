//! Ingest: an export in, records or Merkle-anchored batches on chain (`perfledger ingest`; its
//! flags and final report are in `commands/ingest.rs`).
//!
//! Every row is mapped and checked locally first; a bad row is reported by file, line and
//! field, and nothing is written for it. Good rows go on chain as individual records (signed
//! readings for device exports) or, in volume, as batches: each batch's rows are kept in
//! `<out>/batches/<document>.jsonl`, whose hash is the document anchored with the Merkle root.
//! A rerun writes nothing twice: records are recognized by their document hash, batches by the
//! hash of their file (the same rows make the same batches). `<out>/journal.jsonl` lists what
//! is on chain; `<out>/summary.json` what this run did.
//!
//! This file runs the steps, in order (`run`); each has its own file:
//! - `reading.rs`: the export's rows, each mapped to a record and checked by the rules
//!   (`validate.rs`), or rejected;
//! - `checking.rs`: the checks that need more than the row (the rest of the file, the chain)
//!   before anything is sent, and recognizing what is on chain already;
//! - `writing.rs`: records and batches signed, sent and followed to finality, and settling
//!   those whose outcome was an error;
//! - `journal.rs`: `<out>/journal.jsonl`, what is on chain, and the output directory.
//!
//! A row that will not be written is rejected here (`Ingest::reject`), whichever step
//! found what is wrong with it.

mod checking;
mod journal;
mod reading;
mod writing;

use crate::{
	chain::{self, H256},
	keys::{self, KeyArgs},
	ledger::{self, At},
	mapping::Mapping,
	progress::Progress,
	source::Source,
	submit::Signer,
	validate::{Entry, Limits, MetricRules},
};
use anyhow::{bail, Result};
use clap::ValueEnum;
use futures::stream::FuturesUnordered;
use serde_json::json;
use std::{
	collections::{BTreeMap, HashMap, HashSet},
	fs::{self, File},
	io::Write,
	path::PathBuf,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
};
use writing::{InFlight, Pending};

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

/// What to import and how: the flags of `perfledger ingest`.
#[derive(clap::Args, Debug)]
pub struct Options {
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

/// What a run did, by row (kept in `<out>/summary.json`).
#[derive(Default, Debug, serde::Serialize)]
pub struct Summary {
	pub mode: String,
	pub rows: u64,
	pub skipped_by_filter: u64,
	pub rejected: u64,
	pub refused_by_chain: u64,
	pub records_written: u64,
	pub batches_written: u64,
	pub batch_rows_written: u64,
	pub records_already_on_chain: u64,
	pub batches_already_on_chain: u64,
	pub batch_rows_already_on_chain: u64,
	pub not_sent: u64,
	pub dry_run: bool,
	pub interrupted_before_line: Option<u64>,
	pub stopped: Option<String>,
	/// Reading, checking, hashing and signing every row.
	pub read_seconds: f64,
	/// Everything, up to the last transaction's finality.
	pub seconds: f64,
}

/// A run in progress: what it reads with, what it found on chain, what is in flight.
struct Ingest {
	options: Options,
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
	/// The chain's limits every row is checked against.
	limits: Limits,
	/// Whether the export's columns were checked against the mapping (on the first row).
	columns_checked: bool,
}

/// Runs an import and keeps its summary in `<out>/summary.json`; the summary says how many
/// rows were written, were on chain already, or were rejected, refused or not sent.
pub async fn run(url: &str, options: Options) -> Result<Summary> {
	let mapping = Mapping::load(&options.mapping)?;
	let source = Source::open(&options.file, mapping.format)?;
	// Two connections: one sends transactions and follows them, the other reads. Reads on the
	// connection that carries hundreds of transaction subscriptions wait tens of milliseconds
	// each; on their own they take a fraction of one.
	let api = chain::connect(url).await?;
	let reads = chain::connect(url).await?;

	// The signer first: it waits for an interrupted run's transactions to be final, so that
	// the state read next holds everything already written.
	let (signer, organization) = if options.dry_run {
		(None, None)
	} else {
		let keypair = options.keys.keypair()?;
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

	let (journal, rejects) = journal::open_output(&options.out)?;
	let file = options.file.display().to_string();
	let progress = Progress::new("ingest", source.size);
	let mut ingest = Ingest {
		summary: Summary { dry_run: options.dry_run, ..Default::default() },
		options,
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
		limits,
		columns_checked: false,
	};

	let interrupted = Arc::new(AtomicBool::new(false));
	let flag = interrupted.clone();
	tokio::spawn(async move {
		if tokio::signal::ctrl_c().await.is_ok() {
			flag.store(true, Ordering::SeqCst);
		}
	});

	let mut mode = ingest.options.mode;
	let mut buffered = Vec::new();
	let mut source = source;
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
		let Some(entry) = ingest.read(row)? else {
			continue;
		};
		if mode == Mode::Auto {
			buffered.push(entry);
			if buffered.len() > ingest.options.batch_threshold {
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
				ingest.reject(entry.line, "metric", &e.to_string())?;
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
	let path = ingest.options.out.join("summary.json");
	fs::write(&path, serde_json::to_vec_pretty(&ingest.summary)?)?;
	Ok(ingest.summary)
}

impl Ingest {
	/// A row that will not be written, and why: reported, and listed in `rejected.jsonl`.
	fn reject(&mut self, line: u64, field: &str, message: &str) -> Result<()> {
		self.summary.rejected += 1;
		self.progress.println(&format!("{}:{line}: {field}: {message}", self.file));
		let entry = json!({ "file": self.file, "line": line, "field": field, "error": message });
		writeln!(self.rejects, "{entry}")?;
		Ok(())
	}

	/// What the progress line says was written.
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
}
