//! The built-in chain specifications. Each picks a genesis preset of the runtime; the
//! presets themselves live in `runtime/src/genesis_config_presets.rs`.

use perfledger_runtime::{
	genesis_config_presets::CONSORTIUM_RUNTIME_PRESET, SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL,
	WASM_BINARY,
};
use sc_service::{ChainType, Properties};

/// A chain spec of this runtime; no extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime's Wasm is not in this binary: build without SKIP_WASM_BUILD".to_string()
	})
}

/// The token's symbol, decimals and address format, shown by wallets and polkadot.js.
fn properties() -> Properties {
	let mut p = Properties::new();
	p.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	p.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	p.insert("ss58Format".into(), SS58_PREFIX.into());
	p
}

/// `dev`: a single validator (Alice), for development.
pub fn development() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Perfledger Development")
		.with_id("perfledger_dev")
		.with_chain_type(ChainType::Development)
		.with_properties(properties())
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.build())
}

/// `local`: four validators (Alice, Bob, Charlie, Dave) on one machine.
pub fn local_testnet() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Perfledger Local Testnet")
		.with_id("perfledger_local")
		.with_chain_type(ChainType::Local)
		.with_properties(properties())
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.build())
}

/// `consortium`: the template a consortium turns into its own network's spec
/// (`scripts/consortium-spec.py`).
pub fn consortium_template() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Perfledger Consortium")
		.with_id("perfledger_consortium")
		.with_protocol_id("perfledger")
		.with_chain_type(ChainType::Live)
		.with_properties(properties())
		.with_genesis_config_preset_name(CONSORTIUM_RUNTIME_PRESET)
		.build())
}
