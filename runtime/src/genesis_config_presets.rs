//! Named genesis presets: `development`, `local_testnet` and `consortium`.
//!
//! The node's chain specs only pick one of these; `scripts/build-chain-specs.sh` turns them
//! into the specs under `chain-specs/`, and `scripts/consortium-spec.py` rewrites the
//! `consortium` one with a real consortium's keys, council and endowments.

use crate::{AccountId, BalancesConfig, CouncilMembershipConfig, RuntimeGenesisConfig, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// The preset of a consortium's own network: the template `scripts/consortium-spec.py` edits.
pub const CONSORTIUM_RUNTIME_PRESET: &str = "consortium";

/// What every endowed account starts with in the test presets.
pub const TEST_ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// A validator's consensus keys: Aura for authoring, GRANDPA for finality.
pub struct Validator {
	pub aura: AuraId,
	pub grandpa: GrandpaId,
}

/// Everything a genesis preset chooses.
pub struct ConsortiumGenesis {
	pub validators: Vec<Validator>,
	/// The founding members' accounts: they sit on the council from block 0.
	pub council: Vec<AccountId>,
	pub endowed: Vec<(AccountId, crate::Balance)>,
}

/// Builds the JSON patch of a preset.
pub fn consortium_genesis(genesis: ConsortiumGenesis) -> Value {
	let ConsortiumGenesis { validators, mut council, endowed } = genesis;
	council.sort();
	council.dedup();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		aura: pallet_aura::GenesisConfig {
			authorities: validators.iter().map(|v| v.aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: validators.iter().map(|v| (v.grandpa.clone(), 1)).collect::<Vec<_>>(),
		},
		council_membership: CouncilMembershipConfig {
			members: council.try_into().expect("the council fits its bound; qed"),
		},
	})
}

/// The well-known development validator whose keys derive from `//Name`.
fn dev_validator(name: Sr25519Keyring) -> Validator {
	let name: &'static str = name.into();
	let ed: Ed25519Keyring = name.parse().expect("every sr25519 dev key has an ed25519 twin; qed");
	let sr: Sr25519Keyring = name.parse().expect("parsed back from its own name; qed");
	Validator { aura: sr.public().into(), grandpa: ed.public().into() }
}

/// Every well-known dev account, endowed for testing.
fn dev_endowments() -> Vec<(AccountId, crate::Balance)> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| (k.to_account_id(), TEST_ENDOWMENT))
		.collect()
}

/// One validator (Alice); Alice, Bob and Charlie on the council.
pub fn development_genesis() -> Value {
	use Sr25519Keyring::*;
	consortium_genesis(ConsortiumGenesis {
		validators: vec![dev_validator(Alice)],
		council: vec![Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id()],
		endowed: dev_endowments(),
	})
}

/// Four validators (Alice, Bob, Charlie, Dave): GRANDPA finalizes with more than two thirds
/// of its voters, so the network survives one of them down. Each runs one founding member.
pub fn local_testnet_genesis() -> Value {
	use Sr25519Keyring::*;
	let founders = [Alice, Bob, Charlie, Dave];
	consortium_genesis(ConsortiumGenesis {
		validators: founders.iter().map(|k| dev_validator(*k)).collect(),
		council: founders.iter().map(|k| k.to_account_id()).collect(),
		endowed: dev_endowments(),
	})
}

/// The template a consortium edits: three founding members, each running a validator, with
/// the well-known dev keys standing in for their own (the script replaces every one of them).
pub fn consortium_template_genesis() -> Value {
	use Sr25519Keyring::*;
	let founders = [Alice, Bob, Charlie];
	consortium_genesis(ConsortiumGenesis {
		validators: founders.iter().map(|k| dev_validator(*k)).collect(),
		council: founders.iter().map(|k| k.to_account_id()).collect(),
		endowed: founders.iter().map(|k| (k.to_account_id(), 1_000 * UNIT)).collect(),
	})
}

/// The preset with the given name, as JSON.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		CONSORTIUM_RUNTIME_PRESET => consortium_template_genesis(),
		_ => return None,
	};
	Some(serde_json::to_string(&patch).expect("a JSON value serializes; qed").into_bytes())
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(CONSORTIUM_RUNTIME_PRESET),
	]
}
