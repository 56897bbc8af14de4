//! The genesis presets and the council's wiring.

use super::{account, council_motion, ext_from_preset, sorted};
use crate::{
	configs::{governance::SESSION_PERIOD, CouncilInstance},
	genesis_config_presets, Balances, BlockNumber, Consortium, Council, CouncilMembership, Grandpa,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, Session, System,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{OnFinalize, OnInitialize},
};
use sp_consensus_grandpa::{AuthorityList, ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve};
use sp_runtime::{
	traits::{BlakeTwo256, Dispatchable, Hash},
	DispatchError,
};

#[test]
fn every_preset_builds_a_consistent_genesis() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(names.len(), 3);
	for name in names {
		let name = String::from_utf8(AsRef::<[u8]>::as_ref(&name).to_vec()).unwrap();
		ext_from_preset(&name).execute_with(|| {
			let aura = pallet_aura::Authorities::<Runtime>::get();
			let validators = pallet_validator_set::Validators::<Runtime>::get();
			assert!(!aura.is_empty(), "{name}: no block author");
			assert_eq!(
				aura.len(),
				validators.len(),
				"{name}: session handed the validators to Aura"
			);
			assert_eq!(
				Grandpa::grandpa_authorities().len(),
				validators.len(),
				"{name}: every author votes"
			);
			assert_eq!(pallet_session::Validators::<Runtime>::get(), validators.into_inner());
			let council = pallet_collective::Members::<Runtime, CouncilInstance>::get();
			assert!(!council.is_empty(), "{name}: no council");
			assert_eq!(council, CouncilMembership::members().into_inner(), "{name}: seats agree");
			let mut members: Vec<_> = pallet_consortium::Members::<Runtime>::iter_keys().collect();
			members.sort();
			assert_eq!(members, council, "{name}: every seat is a consortium member");
			for member in &council {
				assert!(Balances::free_balance(member) > 0, "{name}: council member is funded");
			}
			pallet_consortium::Pallet::<Runtime>::do_try_state().expect("consortium invariants");
			pallet_validator_set::Pallet::<Runtime>::do_try_state().expect("validator invariants");
		});
	}
}

#[test]
fn local_testnet_has_four_validators_four_founders_and_their_nodes() {
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
		assert_eq!(pallet_validator_set::MinValidators::<Runtime>::get(), 3);
		let nodes = pallet_node_authorization::WellKnownNodes::<Runtime>::get();
		assert_eq!(nodes.len(), 4);
		assert!(nodes.contains(&genesis_config_presets::dev_node_peer_id(1)));
	});
}

pub(crate) fn apply(who: Sr25519Keyring) {
	assert_ok!(Consortium::apply(
		RuntimeOrigin::signed(account(who)),
		b"Eve Analytics".to_vec().try_into().unwrap(),
		perfledger_primitives::Region(*b"SE"),
	));
}

#[test]
fn a_council_majority_admits_an_applicant_to_a_seat() {
	ext_from_preset("development").execute_with(|| {
		apply(Eve);
		let admit =
			RuntimeCall::Consortium(pallet_consortium::Call::admit { applicant: account(Eve) });
		assert_eq!(council_motion(admit, 2, &[Alice, Bob]), Some(true));
		assert!(
			pallet_collective::Members::<Runtime, CouncilInstance>::get().contains(&account(Eve))
		);
		assert!(pallet_consortium::Members::<Runtime>::contains_key(account(Eve)));
	});
}

#[test]
fn a_council_minority_cannot_admit() {
	ext_from_preset("development").execute_with(|| {
		apply(Eve);
		let admit =
			RuntimeCall::Consortium(pallet_consortium::Call::admit { applicant: account(Eve) });
		// One member of three is not a majority: the motion runs, its call is refused.
		assert_eq!(council_motion(admit, 1, &[Alice]), Some(false));
		assert!(
			!pallet_collective::Members::<Runtime, CouncilInstance>::get().contains(&account(Eve))
		);
	});
}

#[test]
fn no_account_changes_seats_directly() {
	ext_from_preset("development").execute_with(|| {
		apply(Eve);
		assert_noop!(
			Consortium::admit(RuntimeOrigin::signed(account(Alice)), account(Eve)),
			DispatchError::BadOrigin
		);
		// Membership takes root, which no account holds: even a council member cannot.
		assert_noop!(
			CouncilMembership::add_member(
				RuntimeOrigin::signed(account(Alice)),
				account(Eve).into()
			),
			DispatchError::BadOrigin
		);
		let add = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member {
			who: account(Eve).into(),
		});
		// A motion carries the council's origin, not root: still refused.
		assert_eq!(council_motion(add.clone(), 3, &[Alice, Bob, Charlie]), Some(false));
		assert_noop!(
			Council::propose(RuntimeOrigin::signed(account(Eve)), 1, Box::new(add), 64),
			pallet_collective::Error::<Runtime, CouncilInstance>::NotMember
		);
		// Handing a seat to another account would bypass admission: filtered out.
		let change_key = RuntimeCall::CouncilMembership(pallet_membership::Call::change_key {
			new: account(Eve).into(),
		});
		assert_noop!(
			change_key.dispatch(RuntimeOrigin::signed(account(Alice))),
			frame_system::Error::<Runtime>::CallFiltered
		);
	});
}

#[test]
fn runtime_upgrades_need_a_council_supermajority() {
	ext_from_preset("local_testnet").execute_with(|| {
		let code_hash = sp_core::H256::repeat_byte(7);
		let authorize =
			RuntimeCall::Consortium(pallet_consortium::Call::authorize_upgrade { code_hash });
		// Two of four is not two thirds.
		assert_eq!(council_motion(authorize.clone(), 2, &[Alice, Bob]), Some(false));
		let authorized = || {
			System::events().iter().any(|r| {
				r.event
					== RuntimeEvent::System(frame_system::Event::UpgradeAuthorized {
						code_hash,
						check_version: true,
					})
			})
		};
		assert!(!authorized());
		assert_eq!(council_motion(authorize, 3, &[Alice, Bob, Charlie]), Some(true));
		assert!(authorized());
		// No signed account can set code directly.
		assert_noop!(
			System::set_code(RuntimeOrigin::signed(account(Alice)), vec![0u8; 8]),
			DispatchError::BadOrigin
		);
	});
}

/// The prime's lone aye on an upgrade motion, closed after the motion's duration, does not
/// pass it: the members who did not vote count as no, not as the prime voted.
#[test]
fn a_primes_lone_aye_does_not_pass_a_motion_that_times_out() {
	ext_from_preset("local_testnet").execute_with(|| {
		let prime = account(Alice);
		assert_ok!(CouncilMembership::set_prime(RuntimeOrigin::root(), prime.clone().into()));
		assert_eq!(
			pallet_collective::Prime::<Runtime, CouncilInstance>::get(),
			Some(prime.clone())
		);
		let call = RuntimeCall::Consortium(pallet_consortium::Call::authorize_upgrade {
			code_hash: sp_core::H256::repeat_byte(7),
		});
		let (len, weight) = (call.encoded_size() as u32, call.get_dispatch_info().call_weight);
		let hash = BlakeTwo256::hash_of(&call);
		let index = pallet_collective::ProposalCount::<Runtime, CouncilInstance>::get();
		assert_ok!(Council::propose(RuntimeOrigin::signed(prime.clone()), 3, Box::new(call), len));
		assert_ok!(Council::vote(RuntimeOrigin::signed(prime.clone()), hash, index, true));
		let duration =
			<Runtime as pallet_collective::Config<CouncilInstance>>::MotionDuration::get();
		System::set_block_number(System::block_number() + duration + 1);
		assert_ok!(Council::close(RuntimeOrigin::signed(prime), hash, index, weight, len));
		let events: Vec<_> = System::events().into_iter().map(|r| r.event).collect();
		assert!(events.contains(&RuntimeEvent::Council(pallet_collective::Event::Disapproved {
			proposal_hash: hash
		})));
		assert!(!events.iter().any(|e| matches!(
			e,
			RuntimeEvent::Council(pallet_collective::Event::Executed { .. })
				| RuntimeEvent::System(frame_system::Event::UpgradeAuthorized { .. })
		)));
	});
}

#[test]
fn a_validator_needs_session_keys_before_the_council_can_add_it() {
	ext_from_preset("local_testnet").execute_with(|| {
		let add = RuntimeCall::ValidatorSet(pallet_validator_set::Call::add_validator {
			who: account(Eve),
		});
		assert_eq!(council_motion(add, 3, &[Alice, Bob, Charlie]), Some(false));
		assert_eq!(pallet_validator_set::Validators::<Runtime>::get().len(), 4);
		let pallets: Vec<_> =
			crate::Runtime::metadata_ir().pallets.into_iter().map(|p| p.name).collect();
		assert!(!pallets.contains(&"Sudo"), "a consortium chain has no sudo pallet");
	});
}

/// No member can fill the council's motion slots: ten open motions are free, then each one more
/// holds a deposit that doubles, so a member runs out of funds long before `MaxProposals`, and
/// the others can still propose.
#[test]
fn a_member_cannot_flood_the_council_with_motions() {
	use frame_support::traits::{fungible::InspectHold, Get};
	ext_from_preset("local_testnet").execute_with(|| {
		let propose = |who: Sr25519Keyring, i: u32| {
			let call = RuntimeCall::System(frame_system::Call::remark { remark: i.encode() });
			let len = call.encoded_size() as u32;
			Council::propose(RuntimeOrigin::signed(account(who)), 3, Box::new(call), len)
		};
		let max = <Runtime as pallet_collective::Config<CouncilInstance>>::MaxProposals::get();
		let mut opened = 0;
		while propose(Alice, opened).is_ok() {
			opened += 1;
			assert!(opened < max, "one member filled every motion slot");
		}
		// Ten free, then 10, 20, 40, ... PLG: 1,000,000 PLG pays for sixteen more.
		assert_eq!(opened, 26);
		let reason = crate::configs::CouncilMotionHoldReason::get();
		assert_eq!(
			Balances::balance_on_hold(&reason, &account(Alice)),
			10 * (2u128.pow(16) - 1) * crate::UNIT
		);
		assert_ok!(propose(Bob, 1_000));
	});
}

/// A validator cannot purge its session keys (it would leave the next session's set below the
/// minimum, or empty it, without a motion); once the council removed it, it takes them back.
#[test]
fn a_validator_cannot_purge_its_keys_to_leave_the_set() {
	ext_from_preset("local_testnet").execute_with(|| {
		// The session pallet's own call is filtered out for everyone.
		let purge = RuntimeCall::Session(pallet_session::Call::purge_keys {});
		assert_noop!(
			purge.dispatch(RuntimeOrigin::signed(account(Dave))),
			frame_system::Error::<Runtime>::CallFiltered
		);
		// The validator set's refuses a validator.
		let purge = || {
			pallet_validator_set::Pallet::<Runtime>::purge_keys(RuntimeOrigin::signed(account(
				Dave,
			)))
		};
		assert_noop!(purge(), pallet_validator_set::Error::<Runtime>::StillValidator);
		assert!(pallet_session::NextKeys::<Runtime>::contains_key(account(Dave)));
		// Removed by the council, Dave's operator takes its keys and deposit back.
		let remove = RuntimeCall::ValidatorSet(pallet_validator_set::Call::remove_validator {
			who: account(Dave),
		});
		assert_eq!(council_motion(remove, 3, &[Alice, Bob, Charlie]), Some(true));
		assert_ok!(purge());
		assert!(!pallet_session::NextKeys::<Runtime>::contains_key(account(Dave)));
	});
}

/// Imports blocks up to `to` as far as GRANDPA is concerned: each block starts with an empty
/// digest, rotates the session at its boundary and ends with GRANDPA's `on_finalize`. Returns
/// the GRANDPA logs the blocks' digests carry, with their block numbers.
fn import_blocks(to: BlockNumber) -> Vec<(BlockNumber, ConsensusLog<BlockNumber>)> {
	let mut logs = Vec::new();
	for n in System::block_number() + 1..=to {
		System::initialize(&n, &Default::default(), &Default::default());
		Session::on_initialize(n);
		Grandpa::on_finalize(n);
		logs.extend(
			System::digest()
				.logs
				.iter()
				.filter_map(|item| item.consensus_try_to::<ConsensusLog<_>>(&GRANDPA_ENGINE_ID))
				.map(|log| (n, log)),
		);
	}
	logs
}

/// The authority sets GRANDPA enacted (`NewAuthorities`) since events were last reset.
fn enacted_sets() -> Vec<AuthorityList> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Grandpa(pallet_grandpa::Event::NewAuthorities { authority_set }) => {
				Some(authority_set)
			}
			_ => None,
		})
		.collect()
}

/// With finality stalled, a council motion forces GRANDPA onto the validators of the next
/// session: nothing happens before its boundary; at the boundary GRANDPA signals a forced
/// change that builds on the block the council named, enacted `delay` blocks later.
#[test]
fn a_council_motion_forces_a_grandpa_change_at_the_next_session_boundary() {
	ext_from_preset("local_testnet").execute_with(|| {
		let (delay, best_finalized) = (3, 2);
		assert!(import_blocks(5).is_empty());
		let recover = RuntimeCall::ValidatorSet(pallet_validator_set::Call::recover_finality {
			delay,
			best_finalized,
		});
		// Two of four is not a majority.
		assert_eq!(council_motion(recover.clone(), 2, &[Alice, Bob]), Some(false));
		assert_eq!(pallet_grandpa::Stalled::<Runtime>::get(), None);
		assert_eq!(council_motion(recover, 3, &[Alice, Bob, Charlie]), Some(true));
		assert_eq!(pallet_grandpa::Stalled::<Runtime>::get(), Some((delay, best_finalized)));

		// Nothing before the session boundary.
		assert!(import_blocks(SESSION_PERIOD - 1).is_empty());
		assert!(pallet_grandpa::PendingChange::<Runtime>::get().is_none());
		let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
		let validators = Grandpa::grandpa_authorities();

		// At the boundary: a forced change to the session's validators, on top of block 2.
		assert_eq!(
			import_blocks(SESSION_PERIOD),
			vec![(
				SESSION_PERIOD,
				ConsensusLog::ForcedChange(
					best_finalized,
					ScheduledChange { next_authorities: validators.clone(), delay }
				)
			)]
		);
		let pending = pallet_grandpa::PendingChange::<Runtime>::get().expect("a change is pending");
		assert_eq!(pending.scheduled_at, SESSION_PERIOD);
		assert_eq!(pending.delay, delay);
		assert_eq!(pending.forced, Some(best_finalized));
		assert_eq!(pending.next_authorities.into_inner(), validators);
		assert_eq!(pallet_grandpa::Stalled::<Runtime>::get(), None, "the stall is consumed");
		assert_eq!(pallet_grandpa::CurrentSetId::<Runtime>::get(), set_id + 1);

		// Enacted `delay` blocks after the boundary, not before.
		System::reset_events();
		assert!(import_blocks(SESSION_PERIOD + delay - 1).is_empty());
		assert!(enacted_sets().is_empty());
		assert!(import_blocks(SESSION_PERIOD + delay).is_empty());
		assert_eq!(enacted_sets(), vec![validators]);
		assert!(pallet_grandpa::PendingChange::<Runtime>::get().is_none());
	});
}
