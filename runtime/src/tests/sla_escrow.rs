//! SLA escrow across the real pallets: settled from the records pallet's figures of the
//! accepted reporter, or from a threshold proof the disclosure pallet verified; a dispute
//! decided by council motion.

use super::{account, council_motion, ext_from_preset, records::lead_time};
use crate::{Balances, Disclosure, Records, Runtime, RuntimeCall, RuntimeOrigin, SlaEscrow};
use frame_support::{
	assert_ok,
	traits::{fungible::InspectHold, Hooks},
};
use pallet_sla_escrow::{Basis, Comparison, Measure, MissingData, SettlementStatus, Terms};
use perfledger_proofs::threshold::{self, Direction, Opening};
use sp_keyring::Sr25519Keyring::{Alice, AliceStash, Bob, BobStash, Charlie};
use sp_runtime::Permill;

const UNIT: u128 = crate::UNIT;
/// The test metric's period: a minute (ten blocks).
const MINUTE: u64 = 60_000;
/// The period the agreements cover: minute 28,800,000 of the Unix epoch (day 20,000).
const PERIOD: u64 = 28_800_000;
/// The metric the tests define.
const METRIC: u32 = 3;

fn signed(who: sp_keyring::Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(who))
}

/// "Delivery lead time at most 48.00 h on average for the subject", over one minute-long
/// period, 100 PLG, Alice (Acme) providing to Bob (Borealis).
fn terms(proofs_stand_in: bool) -> pallet_sla_escrow::TermsOf<Runtime> {
	Terms {
		provider: account(Alice),
		metric: METRIC,
		subject: lead_time(0).subject.to_vec().try_into().unwrap(),
		measure: Measure::Mean,
		comparison: Comparison::AtMost,
		target: 4_800,
		tiers: Default::default(),
		floor: Permill::zero(),
		bonus: None,
		first_period: PERIOD,
		periods: 1,
		amount: 100 * UNIT,
		reporters: if proofs_stand_in {
			Default::default()
		} else {
			vec![account(AliceStash)].try_into().unwrap()
		},
		missing_data: MissingData::Refund,
		proofs_stand_in,
		grace_ms: 0,
		dispute_window_ms: 3_600_000,
	}
}

/// Starts at the beginning of `PERIOD` (plus a second) with Acme's minute-long lead-time
/// metric defined, as metric `METRIC`.
fn start() {
	frame_system::Pallet::<Runtime>::set_block_number(1);
	pallet_timestamp::Now::<Runtime>::put(PERIOD * MINUTE + 1_000);
	let mut spec = pallet_records::Metrics::<Runtime>::get(0)
		.and_then(|head| pallet_records::MetricVersions::<Runtime>::get(0, head.version))
		.unwrap()
		.spec;
	spec.period_ms = MINUTE;
	assert_ok!(Records::define_metric(signed(Alice), spec));
	assert!(pallet_records::Metrics::<Runtime>::contains_key(METRIC));
}

/// Runs blocks, six seconds apart, until the clock reaches `time`.
fn run_to(time: u64) {
	while pallet_timestamp::Now::<Runtime>::get() < time {
		pallet_timestamp::Now::<Runtime>::mutate(|now| *now = (*now + 6_000).min(time));
		let block = frame_system::Pallet::<Runtime>::block_number() + 1;
		frame_system::Pallet::<Runtime>::set_block_number(block);
		SlaEscrow::on_initialize(block);
	}
}

fn held(who: sp_keyring::Sr25519Keyring) -> u128 {
	Balances::balance_on_hold(&pallet_sla_escrow::HoldReason::Escrow.into(), &account(who))
}

#[test]
fn a_settlement_from_the_reporters_records_is_disputed_and_the_council_splits_it() {
	ext_from_preset("development").execute_with(|| {
		start();
		assert_ok!(SlaEscrow::propose(signed(Bob), terms(false)));
		assert_ok!(SlaEscrow::accept(signed(Alice), 0));
		assert_eq!(held(Bob), 100 * UNIT);

		// Acme's reporter records 42.50 h; Borealis's reporter's 99.99 h does not count: Bob
		// did not name it among the accepted reporters.
		let mut record = lead_time(1);
		record.metric = METRIC;
		record.time = PERIOD * MINUTE + 2_000;
		assert_ok!(Records::submit_record(signed(AliceStash), record.clone()));
		record.document = sp_core::H256::repeat_byte(2);
		record.value.amount = 9_999;
		record.time += 1_000;
		assert_ok!(Records::submit_record(signed(BobStash), record));
		run_to((PERIOD + 1) * MINUTE);
		let settlement = pallet_sla_escrow::Settlements::<Runtime>::get(0, PERIOD).unwrap();
		assert_eq!(settlement.basis, Basis::Records { count: 1, measured: 4_250 });
		assert_eq!(settlement.provider_share, 100 * UNIT);

		// Bob disputes; the window closes and nothing moves; a council majority splits 60/40.
		assert_ok!(SlaEscrow::dispute(signed(Bob), 0, PERIOD));
		run_to((PERIOD + 1) * MINUTE + 3_600_000);
		assert_eq!(held(Bob), 100 * UNIT);
		let (alice_before, bob_before) =
			(Balances::free_balance(account(Alice)), Balances::free_balance(account(Bob)));
		let ruling = RuntimeCall::SlaEscrow(pallet_sla_escrow::Call::resolve_dispute {
			agreement: 0,
			period: PERIOD,
			provider_share: 60 * UNIT,
		});
		assert_eq!(council_motion(ruling, 2, &[Alice, Charlie]), Some(true));
		assert_eq!(Balances::free_balance(account(Alice)) - alice_before, 60 * UNIT);
		assert_eq!(Balances::free_balance(account(Bob)) - bob_before, 40 * UNIT);
		assert_eq!(held(Bob), 0);
		let status = pallet_sla_escrow::Settlements::<Runtime>::get(0, PERIOD).unwrap().status;
		assert_eq!(status, SettlementStatus::Resolved);
	});
}

#[test]
fn a_threshold_proof_verified_by_the_disclosure_pallet_stands_in_for_the_records() {
	ext_from_preset("development").execute_with(|| {
		start();
		assert_ok!(SlaEscrow::propose(signed(Bob), terms(true)));
		assert_ok!(SlaEscrow::accept(signed(Alice), 0));

		// Acme keeps its mean lead time (45.10 h) hidden and proves it is at most 48.00 h.
		let subject = terms(true).subject;
		let statement = threshold::statement(0, METRIC, &subject, PERIOD);
		let mut rng = perfledger_proofs::OsRng;
		let opening = Opening::new(4_510, &mut rng);
		let proof = threshold::prove_value(&opening, &statement, &mut rng).unwrap();
		assert_ok!(Disclosure::commit_value(
			signed(AliceStash),
			METRIC,
			subject.to_vec().try_into().unwrap(),
			PERIOD,
			opening.commitment().unwrap(),
			proof.try_into().unwrap(),
			None,
		));
		let claim =
			threshold::prove_threshold(&opening, 4_800, Direction::AtMost, &statement, &mut rng)
				.unwrap();
		assert_ok!(Disclosure::prove_threshold(
			signed(AliceStash),
			0,
			4_800,
			Direction::AtMost,
			claim.try_into().unwrap()
		));

		run_to((PERIOD + 1) * MINUTE);
		let settlement = pallet_sla_escrow::Settlements::<Runtime>::get(0, PERIOD).unwrap();
		assert_eq!((settlement.basis, settlement.provider_share), (Basis::Proof, 100 * UNIT));
	});
}
