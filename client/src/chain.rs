//! The chain: the interface generated from the runtime's metadata, and a connection that
//! refuses a chain whose runtime does not match it.

use anyhow::{bail, Context, Result};
use subxt::{OnlineClient, SubstrateConfig};

/// The runtime's calls, storage, events, constants and runtime APIs, generated at build time
/// from `client/metadata/perfledger.scale` (regenerate it with `scripts/update-metadata.sh`).
#[subxt::subxt(
	runtime_metadata_path = "metadata/perfledger.scale",
	derive_for_all_types = "Clone, ::codec::Encode, ::codec::Decode"
)]
pub mod runtime {}

/// The chain's configuration: Perfledger uses Substrate's account, address, signature and
/// header types.
pub type Config = SubstrateConfig;
/// A connection to a node.
pub type Api = OnlineClient<Config>;
/// A 32-byte hash.
pub use subxt::utils::H256;

/// What to do when the chain's metadata is not the one the client was generated from.
pub const REGENERATE: &str = "regenerate the client's metadata from a node running that \
	runtime with `scripts/update-metadata.sh` (or PERFLEDGER_NODE=<node binary> \
	scripts/update-metadata.sh), then rebuild: `cargo build --release -p perfledger-client`";

/// Whether `metadata` is the one this client's code was generated from, for every pallet and
/// runtime API the client uses. An error says what differs and how to regenerate.
pub fn check_metadata(metadata: &subxt::Metadata, spec_version: u32) -> Result<()> {
	if !runtime::is_codegen_valid_for(metadata) {
		bail!(
			"the chain's runtime (spec_version {spec_version}) does not match the metadata this \
			 client was generated from: its calls, storage or types differ, and transactions \
			 built from the old metadata could be misread. To use this chain, {REGENERATE}."
		);
	}
	Ok(())
}

/// Connects to the node at `url` and checks that its runtime is the one the client was
/// generated from.
///
/// The client talks the node's legacy RPC methods: every block a transaction is reported in
/// stays readable, however many are in flight (the newer `chainHead` methods must pin blocks,
/// and a busy import outruns them).
pub async fn connect(url: &str) -> Result<Chain> {
	if !is_secure(url) {
		eprintln!("warning: {url} is unencrypted and not on this machine: prefer wss://");
	}
	let rpc = subxt::rpcs::RpcClient::from_insecure_url(url)
		.await
		.with_context(|| format!("cannot connect to a Perfledger node at {url}"))?;
	let backend = subxt::backend::LegacyBackend::builder().build(rpc.clone());
	let api = Api::from_backend(std::sync::Arc::new(backend))
		.await
		.with_context(|| format!("cannot connect to a Perfledger node at {url}"))?;
	let at = api.at_current_block().await.context("cannot read the chain's finalized block")?;
	check_metadata(at.metadata_ref(), at.spec_version())?;
	Ok(Chain { api, rpc: subxt::rpcs::LegacyRpcMethods::new(rpc) })
}

/// Whether a URL is encrypted (`wss://`, `https://`) or on this machine.
fn is_secure(url: &str) -> bool {
	let Some((scheme, rest)) = url.split_once("://") else { return false };
	let authority = rest.split(['/', '?']).next().unwrap_or_default();
	let host = match authority.rsplit_once(':') {
		Some((host, port)) if port.parse::<u16>().is_ok() => host,
		_ => authority,
	};
	matches!(scheme, "wss" | "https") || matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// A checked connection: the typed client, and the node's RPC methods for what it does not
/// cover (the transaction pool's view of an account's nonce).
pub struct Chain {
	pub api: Api,
	pub rpc: subxt::rpcs::LegacyRpcMethods<subxt::config::RpcConfigFor<Config>>,
}

impl std::ops::Deref for Chain {
	type Target = Api;
	fn deref(&self) -> &Api {
		&self.api
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Decode;
	use subxt::ext::frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};

	fn metadata(change: impl FnOnce(&mut RuntimeMetadataPrefixed)) -> subxt::Metadata {
		let bytes = include_bytes!("../metadata/perfledger.scale");
		let mut prefixed = RuntimeMetadataPrefixed::decode(&mut &bytes[..]).unwrap();
		change(&mut prefixed);
		subxt::Metadata::try_from(prefixed).unwrap()
	}

	#[test]
	fn unencrypted_urls_are_secure_only_on_this_machine() {
		for url in [
			"wss://node.example:443",
			"ws://127.0.0.1:9944",
			"ws://localhost:9944",
			"ws://[::1]:9944",
			"https://n.example",
		] {
			assert!(is_secure(url), "{url}");
		}
		for url in
			["ws://10.0.0.7:9944", "ws://node.example", "http://node.example:9944/", "node.example"]
		{
			assert!(!is_secure(url), "{url}");
		}
	}

	#[test]
	fn the_generated_metadata_is_accepted_and_a_changed_runtime_is_refused_with_how_to_regenerate()
	{
		check_metadata(&metadata(|_| {}), 100).expect("the metadata the code came from");

		// A runtime whose records storage changed: the client would read the wrong keys.
		let changed = metadata(|prefixed| {
			let RuntimeMetadata::V16(metadata) = &mut prefixed.1 else { panic!("V16 metadata") };
			let records = metadata.pallets.iter_mut().find(|p| p.name == "Records").unwrap();
			let storage = records.storage.as_mut().unwrap();
			storage.entries.iter_mut().find(|e| e.name == "Documents").unwrap().name =
				"DocumentUses".into();
		});
		let error = check_metadata(&changed, 101).unwrap_err().to_string();
		assert!(error.contains("spec_version 101"), "{error}");
		assert!(error.contains("scripts/update-metadata.sh"), "{error}");
		assert!(error.contains("cargo build --release -p perfledger-client"), "{error}");
	}
}
