//! The records load generator behind the records benchmark (`perfledger bench`; its flags
//! and output are in `commands/bench.rs`). Many signers sign all their records first
//! (consecutive nonces, immortal), then every transaction is sent as fast as the node takes
//! it, and the rate is measured from finalized blocks: records counted from their `Recorded`
//! events, time from the blocks' own timestamps.

use crate::{
	chain::{self, runtime, runtime::runtime_types},
	keys, ledger,
	submit::{Signer, Transaction},
};
use anyhow::{anyhow, bail, Result};
use futures::{stream, StreamExt};
use serde_json::json;
use std::time::Instant;

/// What a benchmark measured.
pub struct Outcome {
	/// The records found in finalized blocks.
	pub finalized: u64,
	/// Records, blocks, times and rates, as printed.
	pub report: serde_json::Value,
}

/// Signs `records` records of `metric` with the `signers` (secret URIs; the dev chain's three
/// reporters if none), sends them `concurrency` at a time, and follows finalized blocks until
/// all are counted or `idle_blocks` pass without a new one.
pub async fn measure(
	url: &str,
	records: u64,
	signers: Vec<String>,
	metric: u32,
	concurrency: usize,
	idle_blocks: u32,
) -> Result<Outcome> {
	let api = chain::connect(url).await?;
	let at = ledger::finalized(&api).await?;
	let rules =
		ledger::metric_rules(&at, metric).await?.ok_or_else(|| anyhow!("no metric {metric}"))?;
	if rules.device_only {
		bail!("metric {metric} takes device readings only; pick another --metric");
	}
	let uris = if signers.is_empty() {
		vec!["//Alice//stash".to_string(), "//Bob//stash".into(), "//Charlie//stash".into()]
	} else {
		signers
	};
	// A finalized block with a time: the rate is measured from the block before the first
	// that holds a record, which must not be the genesis block (time zero).
	let mut at = at;
	let now = loop {
		let now: u64 =
			at.storage().fetch(runtime::storage().timestamp().now(), ()).await?.decode()?;
		if now > 0 {
			break now;
		}
		tokio::time::sleep(std::time::Duration::from_secs(1)).await;
		at = ledger::finalized(&api).await?;
	};
	let run_id = now;

	// Sign everything first.
	let started = Instant::now();
	let mut transactions: Vec<Transaction> = Vec::with_capacity(records as usize);
	let mut signers = Vec::new();
	for (i, uri) in uris.iter().enumerate() {
		let keypair = keys::keypair_from(uri, &format!("--signer number {}", i + 1))?;
		signers.push(Signer::new(&api, keypair).await?);
	}
	for n in 0..records {
		let count = signers.len() as u64;
		let signer = &mut signers[(n % count) as usize];
		use runtime_types::{bounded_collections::bounded_vec::BoundedVec, pallet_records::types};
		let input = types::RecordInput {
			metric,
			subject: BoundedVec(format!("bench:{run_id}:{n}").into_bytes()),
			value: types::Value { amount: rules.min.max(0).min(rules.max), scale: rules.scale },
			time: now,
			document: chain::H256(sp_crypto_hashing::blake2_256(
				format!("bench/{run_id}/{n}").as_bytes(),
			)),
			region: None,
			parents: BoundedVec(vec![]),
		};
		transactions.push(signer.sign(&runtime::tx().records().submit_record(input))?);
	}
	let signing = started.elapsed().as_secs_f64();
	eprintln!("signed {records} records with {} signers in {signing:.1} s; sending", signers.len());

	// Follow finalized blocks while sending.
	let mut blocks = api.stream_blocks().await?;
	let sent_at = Instant::now();
	let sending = tokio::spawn(async move {
		let results: Vec<_> = stream::iter(transactions)
			.map(|tx| async move { tx.submit().await })
			.buffer_unordered(concurrency.max(1))
			.collect()
			.await;
		results.iter().filter(|r| r.is_err()).count()
	});

	let (mut counted, mut first, mut last, mut idle, mut max_per_block) =
		(0u64, None, None, 0u32, 0u64);
	let mut previous_time = None;
	while let Some(block) = blocks.next().await {
		let block = block?;
		let at = block.at().await?;
		let time: u64 =
			at.storage().fetch(runtime::storage().timestamp().now(), ()).await?.decode()?;
		let events = at.events().fetch().await?;
		let here = events.find::<runtime::records::events::Recorded>().count() as u64;
		if here > 0 {
			if first.is_none() {
				first = Some((block.number(), previous_time.unwrap_or(time)));
			}
			last = Some((block.number(), time));
			counted += here;
			max_per_block = max_per_block.max(here);
			idle = 0;
		} else if first.is_some() {
			idle += 1;
		}
		previous_time = Some(time);
		if counted >= records || idle >= idle_blocks {
			break;
		}
	}
	let refused = sending.await?;
	let submit_seconds = sent_at.elapsed().as_secs_f64();
	let (Some((first_block, start)), Some((last_block, end))) = (first, last) else {
		bail!("no record reached a finalized block");
	};
	let chain_seconds = (end.saturating_sub(start)) as f64 / 1000.0;
	let report = json!({
		"records": records,
		"finalized_records": counted,
		"refused_by_pool": refused,
		"signers": signers.len(),
		"signing_seconds": signing,
		"first_block": first_block,
		"last_block": last_block,
		"chain_seconds": chain_seconds,
		"records_per_second": counted as f64 / chain_seconds.max(0.001),
		"max_records_per_block": max_per_block,
		"wall_seconds": submit_seconds,
	});
	Ok(Outcome { finalized: counted, report })
}
