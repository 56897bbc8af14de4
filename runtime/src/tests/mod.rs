//! Runtime tests (std, no node): the genesis presets, the council's wiring and, with the
//! `try-runtime` feature, the checks a runtime upgrade must pass.

mod attribution;
mod governance;
#[cfg(not(any(feature = "try-runtime", feature = "runtime-benchmarks")))]
mod metadata;
mod permissions;
mod records;
mod sla_escrow;
#[cfg(feature = "try-runtime")]
mod try_runtime;

use crate::{
	configs::CouncilInstance, genesis_config_presets, AccountId, Council, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeGenesisConfig, RuntimeOrigin, System,
};
use codec::Encode;
use frame_support::{assert_ok, dispatch::GetDispatchInfo, genesis_builder_helper::build_state};
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::{BlakeTwo256, Hash};

/// Merges a preset's JSON patch into the default config, as the node's chain spec does.
pub(crate) fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
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
pub(crate) fn ext_from_preset(name: &str) -> sp_io::TestExternalities {
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

pub(crate) fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

pub(crate) fn sorted(mut v: Vec<AccountId>) -> Vec<AccountId> {
	v.sort();
	v
}

/// Proposes `call` to the council, has every `voter` vote aye and closes the motion.
/// Returns the result of the call the motion dispatched, if it was dispatched.
pub(crate) fn council_motion(
	call: RuntimeCall,
	threshold: u32,
	voters: &[Sr25519Keyring],
) -> Option<bool> {
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
