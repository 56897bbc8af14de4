//! What the client reads from the chain: metric definitions, limits, documents, streams,
//! records and batches, at one block.

use crate::{
	chain::{runtime, runtime::runtime_types, Api, Config, H256},
	mapping::Mapping,
	validate::{Limits, MetricRules},
};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use subxt::client::OnlineClientAtBlock;

pub use runtime_types::pallet_records::types::DocumentUse;

/// The chain at one block.
pub type At = OnlineClientAtBlock<Config>;
/// A record as stored.
pub type Record = runtime_types::pallet_records::types::Record<
	subxt::utils::AccountId32,
	u32,
	runtime_types::bounded_collections::bounded_vec::BoundedVec<u64>,
>;
/// A batch as stored.
pub type Batch = runtime_types::pallet_records::types::Batch<
	subxt::utils::AccountId32,
	runtime_types::bounded_collections::bounded_vec::BoundedVec<u8>,
	u32,
>;

/// The chain at its latest finalized block.
pub async fn finalized(api: &Api) -> Result<At> {
	api.at_current_block().await.context("cannot read the chain's finalized block")
}

/// The id of `organization`'s stream of `metric` about `subject`, as the runtime finds it
/// (runtime API `recordsApi.streamId`: a stream from before streams were an organization's own
/// keeps its first id).
pub async fn stream_id(at: &At, organization: u32, metric: u32, subject: &[u8]) -> Result<H256> {
	let call =
		runtime::runtime_apis().records_api().stream_id(organization, metric, subject.to_vec());
	Ok(at.runtime_apis().call(call).await?)
}

/// A metric's current rules, if it exists.
pub async fn metric_rules(at: &At, metric: u32) -> Result<Option<MetricRules>> {
	let storage = at.storage();
	let Some(head) = storage.try_fetch(runtime::storage().records().metrics(), (metric,)).await?
	else {
		return Ok(None);
	};
	let head = head.decode()?;
	let version = storage
		.fetch(runtime::storage().records().metric_versions(), (metric, head.version))
		.await
		.with_context(|| format!("metric {metric}'s current version is missing"))?
		.decode()?;
	let spec = version.spec;
	let scale = match spec.value_type {
		runtime_types::pallet_records::types::ValueType::Integer => 0,
		runtime_types::pallet_records::types::ValueType::Decimal { scale } => scale,
	};
	Ok(Some(MetricRules {
		scale,
		min: spec.min,
		max: spec.max,
		device_only: spec.device_only,
		retired: head.retired,
	}))
}

/// The rules of every metric a mapping can give (those that exist on chain).
pub async fn rules_of(at: &At, mapping: &Mapping) -> Result<BTreeMap<u32, MetricRules>> {
	let mut rules = BTreeMap::new();
	for id in mapping.metric_ids() {
		if let Some(r) = metric_rules(at, id).await? {
			rules.insert(id, r);
		}
	}
	Ok(rules)
}

/// The runtime's limits. A record may describe a time up to the drift past the time of the
/// block that includes it: estimated as the later of this block's time and the local clock
/// (the finalized block lags the chain by a few blocks, and is at time zero on a new chain).
pub async fn limits(at: &At) -> Result<Limits> {
	let constants = at.constants();
	let max_subject = constants.entry(runtime::constants().records().max_subject_length())?;
	let drift = constants.entry(runtime::constants().records().max_future_drift())?;
	let chain_now = at.storage().fetch(runtime::storage().timestamp().now(), ()).await?.decode()?;
	let local_now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |d| d.as_millis() as u64);
	Ok(Limits { max_subject, latest_time: chain_now.max(local_now).saturating_add(drift) })
}

/// What `organization` used a document hash for, if anything.
pub async fn document_use(
	at: &At,
	organization: u32,
	document: H256,
) -> Result<Option<DocumentUse>> {
	let value = at
		.storage()
		.try_fetch(runtime::storage().records().documents(), (document, organization))
		.await?;
	Ok(value.map(|v| v.decode()).transpose()?)
}

/// The uses of a document hash, in organization order: `of`'s only (one read), or every
/// organization's (each organization uses a hash at most once).
pub async fn document_uses(
	at: &At,
	document: H256,
	of: Option<u32>,
) -> Result<Vec<(u32, DocumentUse)>> {
	if let Some(organization) = of {
		let used = document_use(at, organization, document).await?;
		return Ok(used.into_iter().map(|used| (organization, used)).collect());
	}
	let mut entries =
		at.storage().iter(runtime::storage().records().documents(), (document,)).await?;
	let mut uses = Vec::new();
	while let Some(entry) = entries.next().await {
		let entry = entry?;
		let (_, organization) = entry.key()?.decode()?;
		uses.push((organization, entry.value().decode()?));
	}
	uses.sort_by_key(|(organization, _)| *organization);
	Ok(uses)
}

/// A stream's last time and head, if it has records.
pub async fn stream_last_time(at: &At, stream: H256) -> Result<Option<u64>> {
	let value = at.storage().try_fetch(runtime::storage().records().streams(), (stream,)).await?;
	Ok(value.map(|v| v.decode()).transpose()?.map(|s| s.last_time))
}

/// A record, if it exists.
pub async fn record(at: &At, id: u64) -> Result<Option<Record>> {
	let value = at.storage().try_fetch(runtime::storage().records().records(), (id,)).await?;
	Ok(value.map(|v| v.decode()).transpose()?)
}

/// A batch, if it exists.
pub async fn batch(at: &At, id: u64) -> Result<Option<Batch>> {
	let value = at.storage().try_fetch(runtime::storage().records().batches(), (id,)).await?;
	Ok(value.map(|v| v.decode()).transpose()?)
}

/// The organization `account` acts for: that of its first live organization grant.
pub async fn organization_of(at: &At, account: &subxt::utils::AccountId32) -> Result<Option<u32>> {
	let grants = at
		.runtime_apis()
		.call(runtime::runtime_apis().permissions_api().grants_of(*account))
		.await?;
	Ok(grants.into_iter().find_map(|g| g.grant.organization))
}
