//! Runtime tests (std, no node): the genesis presets and the council's wiring.

use crate::{
	configs::CouncilInstance, genesis_config_presets, AccountId, Balances, Council,
	CouncilMembership, Grandpa, Runtime, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig,
	RuntimeOrigin, System,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok, dispatch::GetDispatchInfo, genesis_builder_helper::build_state,
};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	DispatchError,
};

/// Merges a preset's JSON patch into the default config, as the node's chain spec does.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

/// The state a preset builds, exactly as the node's chain spec builds it.
fn ext_from_preset(name: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&name.into())
		.unwrap_or_else(|| panic!("preset {name} exists"));
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, serde_json::from_slice(&patch).unwrap());
	let json = serde_json::to_vec(&config).unwrap();
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| build_state::<RuntimeGenesisConfig>(json).expect("preset builds"));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

fn sorted(mut v: Vec<AccountId>) -> Vec<AccountId> {
	v.sort();
	v
}

/// Proposes `call` to the council, has every `voter` vote aye and closes the motion.
/// Returns the result of the call the motion dispatched, if it was dispatched.
fn council_motion(call: RuntimeCall, threshold: u32, voters: &[Sr25519Keyring]) -> Option<bool> {
	let len = call.encoded_size() as u32;
	let weight = call.get_dispatch_info().call_weight;
	let hash = BlakeTwo256::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, CouncilInstance>::get();
	let proposer = account(voters[0]);
	assert_ok!(Council::propose(
		RuntimeOrigin::signed(proposer.clone()),
		threshold,
		Box::new(call),
		len
	));
	if threshold > 1 {
		for voter in voters {
			assert_ok!(Council::vote(RuntimeOrigin::signed(account(*voter)), hash, index, true));
		}
		assert_ok!(Council::close(RuntimeOrigin::signed(proposer), hash, index, weight, len));
	}
	System::events().into_iter().rev().find_map(|record| match record.event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { proposal_hash, result })
			if proposal_hash == hash =>
		{
			Some(result.is_ok())
		}
		_ => None,
	})
}

#[test]
fn every_preset_builds_a_consistent_genesis() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(names.len(), 3);
	for name in names {
		let name = String::from_utf8(AsRef::<[u8]>::as_ref(&name).to_vec()).unwrap();
		ext_from_preset(&name).execute_with(|| {
			let aura = pallet_aura::Authorities::<Runtime>::get();
			let grandpa = Grandpa::grandpa_authorities();
			assert!(!aura.is_empty(), "{name}: no block author");
			assert_eq!(aura.len(), grandpa.len(), "{name}: every author also votes");
			let council = pallet_collective::Members::<Runtime, CouncilInstance>::get();
			assert!(!council.is_empty(), "{name}: no council");
			assert_eq!(
				council,
				CouncilMembership::members().into_inner(),
				"{name}: membership and council agree"
			);
			for member in &council {
				assert!(Balances::free_balance(member) > 0, "{name}: council member is funded");
			}
		});
	}
}

#[test]
fn local_testnet_has_four_validators_and_four_founders() {
	ext_from_preset("local_testnet").execute_with(|| {
		let authors: Vec<_> = pallet_aura::Authorities::<Runtime>::get().into_iter().collect();
		let expected: Vec<sp_consensus_aura::sr25519::AuthorityId> =
			[Alice, Bob, Charlie, Dave].iter().map(|k| k.public().into()).collect();
		assert_eq!(authors, expected);
		assert_eq!(Grandpa::grandpa_authorities().len(), 4);
		assert_eq!(
			pallet_collective::Members::<Runtime, CouncilInstance>::get(),
			sorted(vec![account(Alice), account(Bob), account(Charlie), account(Dave)])
		);
	});
}

#[test]
fn council_majority_seats_a_new_member() {
	ext_from_preset("development").execute_with(|| {
		let add = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member {
			who: account(Eve).into(),
		});
		assert_eq!(council_motion(add, 2, &[Alice, Bob]), Some(true));
		assert!(
			pallet_collective::Members::<Runtime, CouncilInstance>::get().contains(&account(Eve))
		);
	});
}

#[test]
fn council_minority_cannot_change_the_council() {
	ext_from_preset("development").execute_with(|| {
		let add = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member {
			who: account(Eve).into(),
		});
		// One member of three is not a majority: the motion runs, its call is refused.
		assert_eq!(council_motion(add, 1, &[Alice]), Some(false));
		assert!(
			!pallet_collective::Members::<Runtime, CouncilInstance>::get().contains(&account(Eve))
		);
	});
}

#[test]
fn outsiders_cannot_propose_or_change_membership() {
	ext_from_preset("development").execute_with(|| {
		let add = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member {
			who: account(Eve).into(),
		});
		assert_noop!(
			CouncilMembership::add_member(RuntimeOrigin::signed(account(Eve)), account(Eve).into()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			CouncilMembership::add_member(
				RuntimeOrigin::signed(account(Alice)),
				account(Eve).into()
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Council::propose(RuntimeOrigin::signed(account(Eve)), 1, Box::new(add), 64),
			pallet_collective::Error::<Runtime, CouncilInstance>::NotMember
		);
	});
}

#[test]
fn root_changing_code_is_not_reachable_by_a_signed_account() {
	ext_from_preset("development").execute_with(|| {
		// Without sudo, no account holds root: a council member alone cannot set code.
		assert_noop!(
			System::set_code(RuntimeOrigin::signed(account(Alice)), vec![0u8; 8]),
			DispatchError::BadOrigin
		);
		let pallets: Vec<_> =
			crate::Runtime::metadata_ir().pallets.into_iter().map(|p| p.name).collect();
		assert!(!pallets.contains(&"Sudo"), "a consortium chain has no sudo pallet");
	});
}
