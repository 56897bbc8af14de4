//! `perfledger check`: whether the chain's runtime is the one the client was generated from.
//! Connecting checks it (`chain::connect`, which refuses a chain whose runtime differs and
//! says how to regenerate the client); this says which chain matched.

use crate::{chain, ledger};
use anyhow::Result;

/// Connects to the node at `url` and prints the chain it checked.
pub async fn run(url: &str) -> Result<i32> {
	let api = chain::connect(url).await?;
	let at = ledger::finalized(&api).await?;
	println!(
		"the chain at {url} (spec_version {}, genesis {:?}) matches the client's metadata",
		at.spec_version(),
		api.genesis_hash()
	);
	Ok(0)
}
