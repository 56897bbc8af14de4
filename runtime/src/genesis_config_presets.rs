//! Named genesis presets: `development`, `local_testnet` and `consortium`.
//!
//! The node's chain specs only pick one of these; `scripts/build-chain-specs.sh` turns them
//! into the specs under `chain-specs/`, and `scripts/consortium-spec.py` rewrites the
//! `consortium` one with a real consortium's members, keys, nodes and endowments.

use crate::{
	AccountId, BalancesConfig, ConsortiumConfig, CouncilMembershipConfig, NodeAuthorizationConfig,
	PermissionsConfig, RecordsConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	ValidatorSetConfig, UNIT,
};
use alloc::{string::String, vec, vec::Vec};
use frame_support::build_struct_json_patch;
use hex_literal::hex;
use pallet_consortium::FoundingMember;
use pallet_permissions::{GenesisGrant, GenesisOrganization, Role};
use pallet_records::{GenesisMetric, ValueType};
use serde_json::Value;
use sp_core::OpaquePeerId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// The preset of a consortium's own network: the template `scripts/consortium-spec.py` edits.
pub const CONSORTIUM_RUNTIME_PRESET: &str = "consortium";

/// What every endowed account starts with in the test presets.
pub const TEST_ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// A founding member: its council account, organization and (optionally) the validator and
/// the node it runs.
pub struct Founder {
	pub account: AccountId,
	pub name: String,
	pub region: String,
	/// The session keys of the validator it runs, if it runs one.
	pub validator: Option<SessionKeys>,
	/// The peer id of its node, authorized to join the network.
	pub node: Option<OpaquePeerId>,
}

/// Everything a genesis preset chooses.
pub struct ConsortiumGenesis {
	pub founders: Vec<Founder>,
	/// The fewest validators the council may leave.
	pub min_validators: u32,
	pub endowed: Vec<(AccountId, crate::Balance)>,
	/// Roles beyond the founders' own admin roles (founder `i` owns organization `i`).
	pub grants: Vec<GenesisGrant<AccountId>>,
	/// Metric definitions the network starts with.
	pub metrics: Vec<GenesisMetric>,
}

/// Builds the JSON patch of a preset.
pub fn consortium_genesis(genesis: ConsortiumGenesis) -> Value {
	let ConsortiumGenesis { founders, min_validators, endowed, grants, metrics } = genesis;
	let validators: Vec<(AccountId, SessionKeys)> = founders
		.iter()
		.filter_map(|f| f.validator.clone().map(|keys| (f.account.clone(), keys)))
		.collect();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		council_membership: CouncilMembershipConfig {
			members: founders
				.iter()
				.map(|f| f.account.clone())
				.collect::<Vec<_>>()
				.try_into()
				.expect("the council fits its bound; qed"),
		},
		consortium: ConsortiumConfig {
			founders: founders
				.iter()
				.enumerate()
				.map(|(i, f)| FoundingMember {
					account: f.account.clone(),
					name: f.name.clone(),
					region: f.region.clone(),
					organization: i as u32,
				})
				.collect::<Vec<_>>(),
		},
		permissions: PermissionsConfig {
			organizations: founders
				.iter()
				.enumerate()
				.map(|(i, f)| GenesisOrganization {
					id: i as u32,
					owner: f.account.clone(),
					name: f.name.clone(),
					region: f.region.clone(),
				})
				.collect::<Vec<_>>(),
			grants,
		},
		records: RecordsConfig { metrics },
		validator_set: ValidatorSetConfig {
			validators: validators.iter().map(|(a, _)| a.clone()).collect::<Vec<_>>(),
			min_validators,
		},
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|(account, keys)| (account.clone(), account, keys))
				.collect::<Vec<_>>(),
		},
		node_authorization: NodeAuthorizationConfig {
			nodes: founders
				.iter()
				.filter_map(|f| f.node.clone().map(|n| (n, f.account.clone())))
				.collect::<Vec<_>>(),
		},
	})
}

/// The session keys of the well-known development validator `//Name`.
fn dev_session_keys(name: Sr25519Keyring) -> SessionKeys {
	let name: &'static str = name.into();
	let aura: Sr25519Keyring = name.parse().expect("a dev key's own name; qed");
	let grandpa: Ed25519Keyring =
		name.parse().expect("every sr25519 dev key has an ed25519 twin; qed");
	SessionKeys { aura: aura.public().into(), grandpa: grandpa.public().into() }
}

/// The peer id of the node started with the well-known development node key `0x00..0i`
/// (`--node-key`, used by `scripts/start-local-network.sh` and the end-to-end tests): an
/// identity multihash of its ed25519 public key. Never use these keys on a real network.
pub fn dev_node_peer_id(i: u8) -> OpaquePeerId {
	const IDENTITY_ED25519_PREFIX: [u8; 6] = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
	let public: [u8; 32] = match i {
		1 => hex!("4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29"),
		2 => hex!("7422b9887598068e32c4448a949adb290d0f4e35b9e01b0ee5f1a1e600fe2674"),
		3 => hex!("f381626e41e7027ea431bfe3009e94bdd25a746beec468948d6c3c7c5dc9a54b"),
		4 => hex!("fd50b8e3b144ea244fbf7737f550bc8dd0c2650bbc1aada833ca17ff8dbf329b"),
		_ => panic!("only dev node keys 1 to 4 are well known"),
	};
	OpaquePeerId([&IDENTITY_ED25519_PREFIX[..], &public[..]].concat())
}

/// Every well-known dev account, endowed for testing.
fn dev_endowments() -> Vec<(AccountId, crate::Balance)> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| (k.to_account_id(), TEST_ENDOWMENT))
		.collect()
}

/// The example consortium of the test presets: a cold-chain network of four companies.
fn dev_founder(i: u8, runs_validator: bool) -> Founder {
	use Sr25519Keyring::*;
	let (key, name, region) = match i {
		1 => (Alice, "Acme Logistics", "DE"),
		2 => (Bob, "Borealis Foods", "FI"),
		3 => (Charlie, "Coldline Carriers", "NL"),
		4 => (Dave, "Delta Retail", "FR"),
		_ => panic!("the example consortium has four founders"),
	};
	Founder {
		account: key.to_account_id(),
		name: name.into(),
		region: region.into(),
		validator: runs_validator.then(|| dev_session_keys(key)),
		node: Some(dev_node_peer_id(i)),
	}
}

/// The example consortium's reporters: founder `i`'s stash account (`//Alice//stash` for
/// Acme, ...) reports for its organization, so a new user can submit records at once.
fn dev_reporters(founders: u8) -> Vec<GenesisGrant<AccountId>> {
	use Sr25519Keyring::*;
	[AliceStash, BobStash, CharlieStash, DaveStash]
		.into_iter()
		.take(founders as usize)
		.enumerate()
		.map(|(i, key)| GenesisGrant {
			who: key.to_account_id(),
			role: Role::Reporter,
			organization: Some(i as u32),
		})
		.collect()
}

/// The example consortium's metrics: Acme's delivery lead time (hours, two decimals, daily),
/// Borealis's on-time deliveries (a daily count) and Coldline's cold-chain temperature
/// (degrees Celsius, one decimal, hourly, signed devices only).
fn dev_metrics() -> Vec<GenesisMetric> {
	const HOUR_MS: u64 = 3_600_000;
	let metric =
		|id, owner, name: &str, unit: &str, value_type, (min, max), period_ms, device_only| {
			GenesisMetric {
				id,
				owner,
				name: name.into(),
				unit: unit.into(),
				value_type,
				min,
				max,
				period_ms,
				reporters: vec![Role::Reporter],
				device_only,
			}
		};
	vec![
		metric(
			0,
			0,
			"Delivery lead time",
			"h",
			ValueType::Decimal { scale: 2 },
			(0, 1_000_000),
			24 * HOUR_MS,
			false,
		),
		metric(
			1,
			1,
			"On-time deliveries",
			"1",
			ValueType::Integer,
			(0, 1_000_000),
			24 * HOUR_MS,
			false,
		),
		metric(
			2,
			2,
			"Cold-chain temperature",
			"Cel",
			ValueType::Decimal { scale: 1 },
			(-500, 500),
			HOUR_MS,
			true,
		),
	]
}

/// One validator (Alice); Acme, Borealis and Coldline on the council, each with its founder
/// as admin and its founder's stash account as reporter.
pub fn development_genesis() -> Value {
	consortium_genesis(ConsortiumGenesis {
		founders: vec![dev_founder(1, true), dev_founder(2, false), dev_founder(3, false)],
		min_validators: 1,
		endowed: dev_endowments(),
		grants: dev_reporters(3),
		metrics: dev_metrics(),
	})
}

/// Four founders, each running a validator (Alice, Bob, Charlie, Dave): GRANDPA finalizes
/// with more than two thirds of its voters, so the network survives one of them down.
pub fn local_testnet_genesis() -> Value {
	consortium_genesis(ConsortiumGenesis {
		founders: (1..=4).map(|i| dev_founder(i, true)).collect(),
		min_validators: 3,
		endowed: dev_endowments(),
		grants: dev_reporters(4),
		metrics: dev_metrics(),
	})
}

/// The template a consortium edits: three founding members, each running a validator, with
/// the well-known dev keys standing in for their own (the script replaces every one of them).
pub fn consortium_template_genesis() -> Value {
	let founders: Vec<Founder> = (1..=3).map(|i| dev_founder(i, true)).collect();
	let endowed = founders.iter().map(|f| (f.account.clone(), 1_000 * UNIT)).collect();
	consortium_genesis(ConsortiumGenesis {
		founders,
		min_validators: 3,
		endowed,
		grants: vec![],
		metrics: vec![],
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
