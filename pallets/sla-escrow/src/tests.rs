use crate::{
	mock::*, AgreementStatus, Agreements, Basis, Bonus, Comparison, Error, Event, HoldReason,
	Measure, MissingData, SettlementStatus, Settlements, TermsOf, Tier,
};
use frame::{
	arithmetic::Permill,
	testing_prelude::*,
	traits::fungible::{Inspect, InspectHold},
};

const SUBJECT: &[u8] = b"lane DE-FI";
/// The amount per period: odd, so that shares round.
const AMOUNT: u64 = 1_001;
const BONUS: u64 = 7;
const FIRST: u64 = START / DAY;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// "On-time rate at least 95.00%": 80% paid from 90.00%, 50% from 80.00%, 10% below; a bonus of
/// 7 from 99.00%; Acme's reporter and device count; missed when no data; an hour to dispute.
fn terms(periods: u32) -> TermsOf<Test> {
	crate::Terms {
		provider: PROVIDER,
		metric: ON_TIME,
		subject: SUBJECT.to_vec().try_into().unwrap(),
		measure: Measure::Mean,
		comparison: Comparison::AtLeast,
		target: 9_500,
		tiers: vec![
			Tier { bound: 9_000, payout: Permill::from_percent(80) },
			Tier { bound: 8_000, payout: Permill::from_percent(50) },
		]
		.try_into()
		.unwrap(),
		floor: Permill::from_percent(10),
		bonus: Some(Bonus { bound: 9_900, amount: BONUS }),
		first_period: FIRST,
		periods,
		amount: AMOUNT,
		reporters: vec![REPORTER, DEVICE].try_into().unwrap(),
		missing_data: MissingData::CountAsMissed,
		proofs_stand_in: false,
		grace_ms: 0,
		dispute_window_ms: 3_600_000,
	}
}

/// Proposes and accepts `terms`; returns the agreement.
fn agreed(terms: TermsOf<Test>) -> u64 {
	let id = crate::NextAgreementId::<Test>::get();
	assert_ok!(SlaEscrow::propose(signed(BUYER), terms));
	assert_ok!(SlaEscrow::accept(signed(PROVIDER), id));
	id
}

/// The end of period `FIRST + n`.
fn end_of(n: u64) -> u64 {
	(FIRST + n + 1) * DAY
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::Escrow.into(), &who)
}

fn total(who: u64) -> u64 {
	Balances::total_balance(&who)
}

fn settled_events() -> Vec<(u64, u64, Permill, u64, u64)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::SlaEscrow(Event::Settled {
				agreement,
				period,
				payout,
				provider_share,
				buyer_share,
				..
			}) => Some((agreement, period, payout, provider_share, buyer_share)),
			_ => None,
		})
		.collect()
}

mod agreements {
	use super::*;

	#[test]
	fn nothing_is_held_until_the_provider_accepts() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(SlaEscrow::propose(signed(BUYER), terms(3)));
			assert_eq!(held(BUYER), 0);
			assert_noop!(SlaEscrow::accept(signed(BUYER), 0), Error::<Test>::NotProvider);
			assert_noop!(SlaEscrow::accept(signed(STRANGER), 0), Error::<Test>::NotProvider);
			assert_ok!(SlaEscrow::accept(signed(PROVIDER), 0));
			assert_eq!(held(BUYER), 3 * (AMOUNT + BONUS));
			assert_eq!(
				System::events().last().unwrap().event,
				Event::Accepted { agreement: 0, held: 3 * (AMOUNT + BONUS) }.into()
			);
			assert_noop!(SlaEscrow::accept(signed(PROVIDER), 0), Error::<Test>::NotProposed);
			assert_noop!(SlaEscrow::withdraw_offer(signed(BUYER), 0), Error::<Test>::NotProposed);

			assert_ok!(SlaEscrow::propose(signed(BUYER), terms(3)));
			assert_noop!(SlaEscrow::withdraw_offer(signed(PROVIDER), 1), Error::<Test>::NotBuyer);
			assert_ok!(SlaEscrow::withdraw_offer(signed(BUYER), 1));
			assert!(Agreements::<Test>::get(1).is_none());
		});
	}

	#[test]
	fn bad_terms_fail_with_their_own_error() {
		ExtBuilder::build_and_execute(|| {
			let propose = |who, change: fn(&mut TermsOf<Test>)| {
				let mut t = terms(3);
				change(&mut t);
				SlaEscrow::propose(signed(who), t)
			};
			assert_noop!(propose(STRANGER, |_| {}), Error::<Test>::NoOrganization);
			assert_noop!(propose(REPORTER, |_| {}), Error::<Test>::NotPermitted);
			assert_noop!(
				propose(BUYER, |t| t.provider = STRANGER),
				Error::<Test>::ProviderWithoutOrganization
			);
			assert_noop!(propose(PROVIDER, |_| {}), Error::<Test>::SameOrganization);
			assert_noop!(propose(BUYER, |t| t.metric = 99), Error::<Test>::UnknownMetric);
			assert_noop!(propose(BUYER, |t| t.periods = 0), Error::<Test>::BadPeriods);
			assert_noop!(propose(BUYER, |t| t.periods = 13), Error::<Test>::BadPeriods);
			assert_noop!(propose(BUYER, |t| t.amount = 0), Error::<Test>::ZeroAmount);
			assert_noop!(
				propose(BUYER, |t| t.dispute_window_ms = 59_999),
				Error::<Test>::BadDisputeWindow
			);
			assert_noop!(
				propose(BUYER, |t| t.dispute_window_ms = DAY + 1),
				Error::<Test>::BadDisputeWindow
			);
			assert_noop!(propose(BUYER, |t| t.grace_ms = 3_600_001), Error::<Test>::BadGrace);
			assert_noop!(
				propose(BUYER, |t| t.tiers[1].bound = 9_200),
				Error::<Test>::TiersOutOfOrder
			);
			assert_noop!(
				propose(BUYER, |t| t.tiers[0].bound = 9_600),
				Error::<Test>::TiersOutOfOrder
			);
			assert_noop!(
				propose(BUYER, |t| t.tiers[1].payout = Permill::from_percent(90)),
				Error::<Test>::TiersOutOfOrder
			);
			assert_noop!(
				propose(BUYER, |t| t.floor = Permill::from_percent(50)),
				Error::<Test>::FloorAboveTiers
			);
			assert_noop!(
				propose(BUYER, |t| t.bonus = Some(Bonus { bound: 9_400, amount: 1 })),
				Error::<Test>::BonusNotBeyondTarget
			);
			assert_noop!(
				propose(BUYER, |t| t.reporters = Default::default()),
				Error::<Test>::NoEvidence
			);
			assert_noop!(
				propose(BUYER, |t| t.reporters =
					vec![REPORTER, DEVICE, REPORTER].try_into().unwrap()),
				Error::<Test>::DuplicateReporter
			);
			assert_noop!(
				propose(BUYER, |t| t.first_period = FIRST - 1),
				Error::<Test>::PeriodPassed
			);
			assert_noop!(propose(BUYER, |t| t.amount = u64::MAX / 2), Error::<Test>::Overflow);

			// The buyer cannot hold more than it has: acceptance fails and holds nothing.
			assert_ok!(propose(BUYER, |t| t.amount = ENDOWMENT));
			assert_noop!(SlaEscrow::accept(signed(PROVIDER), 0), Error::<Test>::InsufficientFunds);
			// A period that ended while the offer waited cannot be accepted any more.
			assert_ok!(propose(BUYER, |_| {}));
			Now::set(end_of(0));
			assert_noop!(SlaEscrow::accept(signed(PROVIDER), 1), Error::<Test>::PeriodPassed);
		});
	}
}

mod settlement {
	use super::*;

	#[test]
	fn each_tier_pays_exactly_and_buyer_plus_provider_get_what_was_held() {
		ExtBuilder::build_and_execute(|| {
			let (buyer_before, provider_before) = (total(BUYER), total(PROVIDER));
			let id = agreed(terms(5));
			// Period means: 99.50% (target and bonus), 96.00% (target), 92.00% (80%),
			// 85.00% (50%), 70.00% (floor 10%); split between a reporter and a device. An
			// untrusted reporter's 0% does not count.
			for (n, (a, b)) in
				[(9_950, 9_950), (9_500, 9_700), (9_000, 9_400), (8_400, 8_600), (6_000, 8_000)]
					.into_iter()
					.enumerate()
			{
				record(REPORTER, SUBJECT, FIRST + n as u64, a);
				record(DEVICE, SUBJECT, FIRST + n as u64, b);
				record(UNTRUSTED, SUBJECT, FIRST + n as u64, 0);
			}
			for n in 0..5 {
				block_at(end_of(n));
			}
			let expected = [
				(Permill::one(), AMOUNT + BONUS, 0),
				(Permill::one(), AMOUNT, BONUS),
				(Permill::from_percent(80), 800, 201 + BONUS),
				(Permill::from_percent(50), 500, 501 + BONUS),
				(Permill::from_percent(10), 100, 901 + BONUS),
			];
			let settled = settled_events();
			assert_eq!(settled.len(), 5);
			for (n, ((_, period, payout, provider, buyer), want)) in
				settled.into_iter().zip(expected).enumerate()
			{
				assert_eq!(
					(period, payout, provider, buyer),
					(FIRST + n as u64, want.0, want.1, want.2),
					"period {n}"
				);
			}
			let basis = Settlements::<Test>::get(id, FIRST + 2).unwrap().basis;
			assert_eq!(basis, Basis::Records { count: 2, measured: 9_200 });
			assert_eq!(Agreements::<Test>::get(id).unwrap().status, AgreementStatus::Completed);

			// Each period's funds moved when its dispute window closed, a day later; the last
			// period's have not yet, and do when its window closes.
			assert_eq!(total(PROVIDER), provider_before + 1_008 + 1_001 + 800 + 500);
			assert_eq!(held(BUYER), AMOUNT + BONUS);
			block_at(end_of(4) + 3_600_000 - 1);
			assert_eq!(held(BUYER), AMOUNT + BONUS);
			block_at(end_of(4) + 3_600_000);
			let paid = 1_008 + 1_001 + 800 + 500 + 100;
			assert_eq!(total(PROVIDER), provider_before + paid);
			assert_eq!(
				total(BUYER),
				buyer_before - paid,
				"the buyer loses exactly what the provider gains"
			);
			assert_eq!(held(BUYER), 0);
			assert_eq!(Agreements::<Test>::get(id).unwrap().held, 0);
			assert!(SlaEscrow::history(id).iter().all(|(_, s)| s.status == SettlementStatus::Paid));
		});
	}

	#[test]
	fn a_period_settles_at_its_boundary_block_and_not_before() {
		ExtBuilder::build_and_execute(|| {
			let id = agreed(terms(2));
			record(REPORTER, SUBJECT, FIRST, 9_600);
			block_at(end_of(0) - 1);
			assert!(Settlements::<Test>::get(id, FIRST).is_none(), "the period has not ended");
			block_at(end_of(0));
			assert!(Settlements::<Test>::get(id, FIRST).is_some(), "settled in the boundary block");
			assert!(Settlements::<Test>::get(id, FIRST + 1).is_none());
			assert_noop!(SlaEscrow::settle_due(signed(STRANGER), id), Error::<Test>::NotDue);

			// With a grace for late records, the next one waits for it.
			let mut late = terms(1);
			late.first_period = FIRST + 1;
			late.grace_ms = 60_000;
			let late = agreed(late);
			block_at(end_of(1));
			assert!(Settlements::<Test>::get(late, FIRST + 1).is_none());
			record(REPORTER, SUBJECT, FIRST + 1, 9_700);
			block_at(end_of(1) + 60_000);
			let settlement = Settlements::<Test>::get(late, FIRST + 1).unwrap();
			assert_eq!(
				settlement.basis,
				Basis::Records { count: 1, measured: 9_700 },
				"the late record counts"
			);
		});
	}

	/// A period settled by hand just after its end leaves its queued job behind; when that job's
	/// block comes, the next period (just begun, with no records yet) is left alone until it
	/// has ended.
	#[test]
	fn a_job_left_behind_by_settle_due_never_settles_the_next_period_early() {
		ExtBuilder::build_and_execute(|| {
			let id = agreed(terms(3));
			record(REPORTER, SUBJECT, FIRST, 9_600);
			// Just after the period's end, before the block that runs its job.
			Now::set(end_of(0) + 1);
			assert_ok!(SlaEscrow::settle_due(signed(STRANGER), id));
			assert!(Settlements::<Test>::get(id, FIRST).is_some());
			// The job's block, then every block up to the next period's end.
			block_at(end_of(0) + 6_000);
			assert!(
				Settlements::<Test>::get(id, FIRST + 1).is_none(),
				"the next period has only just begun"
			);
			record(REPORTER, SUBJECT, FIRST + 1, 9_700);
			block_at(end_of(1) - 1);
			assert!(Settlements::<Test>::get(id, FIRST + 1).is_none());
			assert_eq!(Agreements::<Test>::get(id).unwrap().settled, 1);
			block_at(end_of(1));
			assert_eq!(
				Settlements::<Test>::get(id, FIRST + 1).unwrap().basis,
				Basis::Records { count: 1, measured: 9_700 },
				"settled once ended, from its records"
			);
		});
	}

	/// Version 1 jobs ("settle the next period") become jobs naming the period next at the
	/// upgrade; jobs of agreements gone are dropped and the count follows.
	#[test]
	fn the_v2_migration_names_the_period_of_every_settlement_job() {
		use crate::migrations::v2::{v1, MigrateV1ToV2};
		use frame::deps::frame_support::{
			storage::unhashed,
			traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		};
		ExtBuilder::build_and_execute(|| {
			let id = agreed(terms(3));
			Now::set(end_of(0) + 1);
			assert_ok!(SlaEscrow::settle_due(signed(STRANGER), id));
			// The queue as version 1 stored it: a stale job, a payment, a job of nothing.
			for bucket in crate::Queue::<Test>::iter_keys().collect::<Vec<_>>() {
				crate::Queue::<Test>::remove(bucket);
			}
			let old: v1::JobsOf<Test> =
				vec![v1::Job::Settle(id), v1::Job::Pay(id, FIRST), v1::Job::Settle(77)]
					.try_into()
					.unwrap();
			unhashed::put(&crate::Queue::<Test>::hashed_key_for(5), &old);
			crate::Queued::<Test>::put(3);
			StorageVersion::new(1).put::<SlaEscrow>();

			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(
				crate::Queue::<Test>::get(5).into_inner(),
				vec![crate::Job::Settle(id, FIRST + 1), crate::Job::Pay(id, FIRST)]
			);
			assert_eq!(crate::Queued::<Test>::get(), 2);
			assert_eq!(SlaEscrow::on_chain_storage_version(), 2);
			// Once only: a second run changes nothing.
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(crate::Queue::<Test>::get(5).len(), 2);
		});
	}

	#[test]
	fn many_agreements_closing_together_settle_across_blocks_within_the_weight_limit() {
		ExtBuilder::build_and_execute(|| {
			HookUnits::set(3);
			let ids: Vec<u64> = (0..10).map(|_| agreed(terms(1))).collect();
			record(REPORTER, SUBJECT, FIRST, 9_600);
			let mut per_block = vec![];
			let mut time = end_of(0);
			while settled_events().len() < ids.len() {
				let before = settled_events().len();
				let weight = block_at(time);
				assert!(weight.ref_time() <= 3, "a block spent {weight:?}");
				per_block.push(settled_events().len() - before);
				time += 6_000;
			}
			assert_eq!(per_block, vec![3, 3, 3, 1]);
			for id in ids {
				assert_eq!(Settlements::<Test>::get(id, FIRST).unwrap().payout, Permill::one());
			}
			assert_eq!(crate::Queued::<Test>::get(), 10, "their ten payments wait for the window");
		});
	}

	/// Min, Max, Sum and Count each settle on their own figure, the README's "temperature never
	/// above 8.0 °C" (`Max`, `AtMost`, 80) among them: the target pays in full, a tier its
	/// share, below every tier the floor.
	#[test]
	fn every_measure_settles_on_its_own_figure() {
		ExtBuilder::build_and_execute(|| {
			let tier = |bound, percent| Tier { bound, payout: Permill::from_percent(percent) };
			#[rustfmt::skip]
			let cases: Vec<(Measure, Comparison, i128, Tier, &[i128], i128, u32)> = vec![
				(Measure::Max, Comparison::AtMost, 80, tier(100, 50), &[60, 75, 80], 80, 100),
				(Measure::Max, Comparison::AtMost, 80, tier(100, 50), &[60, 85], 85, 50),
				(Measure::Max, Comparison::AtMost, 80, tier(100, 50), &[60, 120], 120, 10),
				(Measure::Min, Comparison::AtLeast, 20, tier(10, 50), &[25, 30], 25, 100),
				(Measure::Min, Comparison::AtLeast, 20, tier(10, 50), &[15, 30], 15, 50),
				(Measure::Sum, Comparison::AtLeast, 1_000, tier(500, 50), &[400, 700], 1_100, 100),
				(Measure::Sum, Comparison::AtLeast, 1_000, tier(500, 50), &[400, 200], 600, 50),
				(Measure::Sum, Comparison::AtLeast, 1_000, tier(500, 50), &[400], 400, 10),
				(Measure::Count, Comparison::AtLeast, 3, tier(2, 50), &[1, 1, 1], 3, 100),
				(Measure::Count, Comparison::AtLeast, 3, tier(2, 50), &[1, 1], 2, 50),
				(Measure::Count, Comparison::AtLeast, 3, tier(2, 50), &[1], 1, 10),
			];
			let ids: Vec<u64> = cases
				.iter()
				.enumerate()
				.map(|(i, (measure, comparison, target, tier, values, _, _))| {
					let subject = format!("case {i}").into_bytes();
					for value in values.iter() {
						record(REPORTER, &subject, FIRST, *value);
					}
					let mut t = terms(1);
					t.subject = subject.try_into().unwrap();
					(t.measure, t.comparison, t.target) = (*measure, *comparison, *target);
					t.tiers = vec![tier.clone()].try_into().unwrap();
					t.bonus = None;
					agreed(t)
				})
				.collect();
			// Four jobs a bucket: eleven settle over three blocks.
			for n in 0..3 {
				block_at(end_of(0) + n * 6_000);
			}
			for ((.., values, measured, percent), id) in cases.iter().zip(ids) {
				let s = Settlements::<Test>::get(id, FIRST).unwrap();
				let expected = Basis::Records { count: values.len() as u32, measured: *measured };
				assert_eq!((s.basis, s.payout), (expected, Permill::from_percent(*percent)));
				assert_eq!(s.provider_share + s.buyer_share, AMOUNT);
			}
		});
	}

	/// More jobs than the queue's buckets take: the last gets `QueueFull` and waits for a hand;
	/// `settle_due` and `pay_due` push it through, moving funds only as the terms say.
	#[test]
	fn a_job_the_full_queue_refused_is_pushed_through_by_hand() {
		ExtBuilder::build_and_execute(|| {
			// Four jobs a bucket, eight buckets tried: 32 jobs fit.
			let ids: Vec<u64> = (0..33).map(|_| agreed(terms(1))).collect();
			let last = ids[32];
			assert!(System::events().iter().any(
				|r| r.event == Event::QueueFull { job: crate::Job::Settle(last, FIRST) }.into()
			));
			record(REPORTER, SUBJECT, FIRST, 9_600);
			// 32 settlements within 8 blocks (hook weight for them all; 8 buckets).
			let mut time = end_of(0);
			for _ in 0..8 {
				block_at(time);
				time += 6_000;
			}
			assert_eq!(settled_events().len(), 32);
			assert!(Settlements::<Test>::get(last, FIRST).is_none(), "its job was never queued");
			assert_ok!(SlaEscrow::settle_due(signed(STRANGER), last));
			let settled = Settlements::<Test>::get(last, FIRST).unwrap();
			assert_eq!(settled.payout, Permill::one());
			assert_noop!(SlaEscrow::pay_due(signed(STRANGER), last, FIRST), Error::<Test>::NotDue);
			Now::set(Now::get() + 3_600_000);
			let provider_before = total(PROVIDER);
			assert_ok!(SlaEscrow::pay_due(signed(STRANGER), last, FIRST));
			assert_eq!(total(PROVIDER) - provider_before, settled.provider_share);
			assert_eq!(
				Settlements::<Test>::get(last, FIRST).unwrap().status,
				SettlementStatus::Paid
			);
		});
	}

	/// A payment that cannot move (here the buyer's hold was released behind the pallet's back)
	/// changes nothing, says `PaymentFailed` and is queued again; once the funds are back, the
	/// retry pays.
	#[test]
	fn a_failed_payment_changes_nothing_and_is_retried() {
		use frame::traits::fungible::MutateHold;
		ExtBuilder::build().execute_with(|| {
			let id = agreed(terms(1));
			record(REPORTER, SUBJECT, FIRST, 9_600);
			block_at(end_of(0));
			let reason = HoldReason::Escrow.into();
			let held_before = held(BUYER);
			assert_ok!(Balances::release(
				&reason,
				&BUYER,
				held_before,
				frame::traits::tokens::Precision::Exact
			));
			block_at(end_of(0) + 3_600_000);
			assert!(System::events().iter().any(|r| matches!(
				r.event,
				RuntimeEvent::SlaEscrow(Event::PaymentFailed { agreement, period, .. })
					if agreement == id && period == FIRST
			)));
			let settlement = Settlements::<Test>::get(id, FIRST).unwrap();
			assert!(matches!(settlement.status, SettlementStatus::Open { .. }), "not paid");
			assert_eq!(Agreements::<Test>::get(id).unwrap().held, held_before);
			assert_ok!(Balances::hold(&reason, &BUYER, held_before));
			// The hook tries again ten minutes (`PaymentRetryMs`) later, and pays.
			let provider_before = total(PROVIDER);
			block_at(end_of(0) + 3_600_000 + 600_000 - 6_000);
			assert_eq!(total(PROVIDER), provider_before, "not before the retry");
			block_at(end_of(0) + 3_600_000 + 600_000);
			assert_eq!(total(PROVIDER) - provider_before, settlement.provider_share);
			assert_eq!(settlement.provider_share, AMOUNT, "the target met, not the bonus");
			SlaEscrow::do_try_state().expect("invariants hold");
		});
	}

	#[test]
	fn missing_data_settles_by_the_agreed_rule_and_proofs_stand_in_where_agreed() {
		ExtBuilder::build_and_execute(|| {
			let with = |rule, proofs| {
				let mut t = terms(1);
				t.missing_data = rule;
				t.proofs_stand_in = proofs;
				agreed(t)
			};
			let missed = with(MissingData::CountAsMissed, false);
			let refund = with(MissingData::Refund, false);
			let pay = with(MissingData::PayInFull, false);
			let proved = with(MissingData::Refund, true);
			// Proofs may stand in, but none was made about this subject: the missing-data rule.
			let unproved = {
				let mut t = terms(1);
				t.subject = b"lane DE-SE".to_vec().try_into().unwrap();
				t.missing_data = MissingData::Refund;
				t.proofs_stand_in = true;
				agreed(t)
			};
			// Acme proved its hidden rate is at least 91.00%: the 80% tier, not the target.
			Proven::set(vec![(
				(ACME, ON_TIME, SUBJECT.to_vec(), FIRST),
				perfledger_primitives::ProvenRange { at_least: Some(9_100), at_most: None },
			)]);
			// Four jobs a bucket: the fifth settles in the next block.
			block_at(end_of(0));
			block_at(end_of(0) + 6_000);
			let outcome = |id| {
				let s = Settlements::<Test>::get(id, FIRST).unwrap();
				(s.basis, s.provider_share, s.buyer_share)
			};
			assert_eq!(outcome(missed), (Basis::Missing, 100, 901 + BONUS));
			assert_eq!(outcome(refund), (Basis::Missing, 0, AMOUNT + BONUS));
			assert_eq!(outcome(pay), (Basis::Missing, AMOUNT, BONUS));
			assert_eq!(outcome(proved), (Basis::Proof, 800, 201 + BONUS));
			assert_eq!(outcome(unproved), (Basis::Missing, 0, AMOUNT + BONUS));
			// A proof is about the provider's own value: another organization's does not count.
			Proven::set(vec![(
				(BOREALIS, ON_TIME, SUBJECT.to_vec(), FIRST + 1),
				perfledger_primitives::ProvenRange { at_least: Some(9_990), at_most: None },
			)]);
			let mut next = terms(1);
			next.first_period = FIRST + 1;
			next.proofs_stand_in = true;
			next.missing_data = MissingData::Refund;
			let other = agreed(next);
			block_at(end_of(1));
			assert_eq!(Settlements::<Test>::get(other, FIRST + 1).unwrap().basis, Basis::Missing);
		});
	}
}

mod disputes {
	use super::*;

	#[test]
	fn a_dispute_freezes_the_funds_until_the_council_rules() {
		ExtBuilder::build_and_execute(|| {
			let (buyer_before, provider_before) = (total(BUYER), total(PROVIDER));
			let id = agreed(terms(1));
			record(REPORTER, SUBJECT, FIRST, 8_500);
			block_at(end_of(0));
			assert_noop!(SlaEscrow::dispute(signed(STRANGER), id, FIRST), Error::<Test>::NotParty);
			assert_noop!(
				SlaEscrow::dispute(signed(OTHER_ADMIN), id, FIRST),
				Error::<Test>::NotParty
			);
			assert_noop!(
				SlaEscrow::dispute(signed(PROVIDER), id, FIRST + 1),
				Error::<Test>::UnknownSettlement
			);
			assert_noop!(
				SlaEscrow::resolve_dispute(RuntimeOrigin::root(), id, FIRST, 0),
				Error::<Test>::NotDisputed
			);
			assert_ok!(SlaEscrow::dispute(signed(PROVIDER), id, FIRST));
			assert_noop!(
				SlaEscrow::dispute(signed(BUYER), id, FIRST),
				Error::<Test>::NotDisputable
			);

			// The window closes: nothing moves, by itself or by hand.
			block_at(end_of(0) + 3_600_000);
			block_at(end_of(0) + 7_200_000);
			assert_noop!(SlaEscrow::pay_due(signed(STRANGER), id, FIRST), Error::<Test>::NotDue);
			assert_eq!((total(BUYER), total(PROVIDER)), (buyer_before, provider_before));
			assert_eq!(held(BUYER), AMOUNT + BONUS);

			// Only the council rules, and not beyond what the period holds.
			assert_noop!(
				SlaEscrow::resolve_dispute(signed(BUYER), id, FIRST, 0),
				DispatchError::BadOrigin
			);
			assert_noop!(
				SlaEscrow::resolve_dispute(RuntimeOrigin::root(), id, FIRST, AMOUNT + BONUS + 1),
				Error::<Test>::ShareAboveTotal
			);
			assert_ok!(SlaEscrow::resolve_dispute(RuntimeOrigin::root(), id, FIRST, 700));
			assert_eq!(total(PROVIDER), provider_before + 700);
			assert_eq!(total(BUYER), buyer_before - 700);
			assert_eq!(held(BUYER), 0);
			assert_eq!(
				System::events().last().unwrap().event,
				Event::DisputeResolved {
					agreement: id,
					period: FIRST,
					provider_share: 700,
					buyer_share: AMOUNT + BONUS - 700
				}
				.into()
			);
			assert_noop!(
				SlaEscrow::dispute(signed(BUYER), id, FIRST),
				Error::<Test>::NotDisputable
			);
		});
	}

	#[test]
	fn a_settlement_cannot_be_disputed_after_its_window() {
		ExtBuilder::build_and_execute(|| {
			let id = agreed(terms(1));
			block_at(end_of(0));
			Now::set(end_of(0) + 3_600_000);
			assert_noop!(
				SlaEscrow::dispute(signed(BUYER), id, FIRST),
				Error::<Test>::NotDisputable
			);
		});
	}

	#[test]
	fn nobody_but_the_parties_and_the_council_moves_held_funds() {
		ExtBuilder::build_and_execute(|| {
			let id = agreed(terms(3));
			let held_before = held(BUYER);
			// The held funds are not the buyer's to spend.
			assert!(Balances::transfer_allow_death(
				signed(BUYER),
				STRANGER,
				ENDOWMENT - held_before + 1
			)
			.is_err());
			// Strangers can neither cancel, dispute, rule, nor settle early.
			assert_noop!(
				SlaEscrow::request_cancellation(signed(STRANGER), id),
				Error::<Test>::NotParty
			);
			assert_noop!(
				SlaEscrow::request_cancellation(signed(OTHER_ADMIN), id),
				Error::<Test>::NotParty
			);
			assert_noop!(
				SlaEscrow::resolve_dispute(signed(STRANGER), id, FIRST, 0),
				DispatchError::BadOrigin
			);
			assert_noop!(SlaEscrow::settle_due(signed(STRANGER), id), Error::<Test>::NotDue);
			assert_eq!(held(BUYER), held_before);
		});
	}
}

mod cancellation {
	use super::*;

	/// A period that has ended is settled on its records before any cancellation: a buyer
	/// holding the provider's old request cannot cancel a delivered period away.
	#[test]
	fn an_ended_period_settles_before_a_cancellation_refunds_the_rest() {
		ExtBuilder::build_and_execute(|| {
			let id = agreed(terms(2));
			assert_ok!(SlaEscrow::request_cancellation(signed(PROVIDER), id));
			record(REPORTER, SUBJECT, FIRST, 9_600);
			Now::set(end_of(0) + 1);
			assert_noop!(
				SlaEscrow::request_cancellation(signed(BUYER), id),
				Error::<Test>::SettleFirst
			);
			assert_ok!(SlaEscrow::settle_due(signed(STRANGER), id));
			assert_ok!(SlaEscrow::request_cancellation(signed(BUYER), id));
			assert_eq!(
				System::events().last().unwrap().event,
				Event::Cancelled { agreement: id, refunded: AMOUNT + BONUS }.into()
			);
			assert_eq!(Settlements::<Test>::get(id, FIRST).unwrap().payout, Permill::one());
		});
	}

	#[test]
	fn both_parties_cancel_and_the_unsettled_periods_are_refunded() {
		ExtBuilder::build_and_execute(|| {
			let (buyer_before, provider_before) = (total(BUYER), total(PROVIDER));
			let id = agreed(terms(4));
			record(REPORTER, SUBJECT, FIRST, 9_600);
			block_at(end_of(0));
			assert_ok!(SlaEscrow::request_cancellation(signed(BUYER), id));
			assert_noop!(
				SlaEscrow::request_cancellation(signed(BUYER), id),
				Error::<Test>::AlreadyRequested
			);
			assert_eq!(held(BUYER), 4 * (AMOUNT + BONUS), "one party alone cancels nothing");
			assert_ok!(SlaEscrow::request_cancellation(signed(PROVIDER), id));
			assert_eq!(
				System::events().last().unwrap().event,
				Event::Cancelled { agreement: id, refunded: 3 * (AMOUNT + BONUS) }.into()
			);
			// The settled period still pays; no further period settles.
			assert_eq!(held(BUYER), AMOUNT + BONUS);
			block_at(end_of(0) + 3_600_000);
			block_at(end_of(1));
			block_at(end_of(3));
			assert_eq!(held(BUYER), 0);
			assert_eq!(total(PROVIDER), provider_before + AMOUNT);
			assert_eq!(total(BUYER), buyer_before - AMOUNT);
			assert_eq!(SlaEscrow::history(id).len(), 1);
			assert_noop!(
				SlaEscrow::request_cancellation(signed(BUYER), id),
				Error::<Test>::NotActive
			);
		});
	}

	/// The records pallet keeps a metric's owner from retiring it, or changing what its records
	/// may hold, while an agreement settles by it: the escrow says which metrics are relied on,
	/// from acceptance until completion or cancellation, and the v3 migration counts them.
	#[test]
	fn a_metric_is_relied_on_while_an_agreement_settles_by_it() {
		use crate::{migrations::v3::MigrateV2ToV3, ActiveByMetric};
		use frame::deps::frame_support::traits::{
			GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
		};
		use perfledger_primitives::MetricReliance;
		ExtBuilder::build_and_execute(|| {
			let id = crate::NextAgreementId::<Test>::get();
			assert_ok!(SlaEscrow::propose(signed(BUYER), terms(1)));
			assert!(!SlaEscrow::relied_on(ON_TIME), "an offer binds nobody yet");
			assert_ok!(SlaEscrow::accept(signed(PROVIDER), id));
			let other = agreed(terms(2));
			assert_eq!(ActiveByMetric::<Test>::get(ON_TIME), 2);
			assert!(SlaEscrow::relied_on(ON_TIME));

			// Version 2 had no count: the migration builds it from the agreements.
			ActiveByMetric::<Test>::remove(ON_TIME);
			StorageVersion::new(2).put::<SlaEscrow>();
			MigrateV2ToV3::<Test>::on_runtime_upgrade();
			assert_eq!(ActiveByMetric::<Test>::get(ON_TIME), 2);
			assert_eq!(SlaEscrow::on_chain_storage_version(), 3);

			// The one-period agreement completes; the other is cancelled by both.
			record(REPORTER, SUBJECT, FIRST, 9_600);
			block_at(end_of(0));
			assert_eq!(Agreements::<Test>::get(id).unwrap().status, AgreementStatus::Completed);
			assert_eq!(ActiveByMetric::<Test>::get(ON_TIME), 1);
			assert_ok!(SlaEscrow::request_cancellation(signed(BUYER), other));
			assert_ok!(SlaEscrow::request_cancellation(signed(PROVIDER), other));
			assert!(!SlaEscrow::relied_on(ON_TIME));
			assert!(!ActiveByMetric::<Test>::contains_key(ON_TIME));
		});
	}

	/// A request to cancel can be withdrawn until the other party asks too: a request left
	/// standing would let the other cancel whenever that suits it.
	#[test]
	fn a_party_withdraws_its_request_to_cancel() {
		ExtBuilder::build_and_execute(|| {
			let id = agreed(terms(3));
			assert_noop!(
				SlaEscrow::withdraw_cancellation(signed(BUYER), id),
				Error::<Test>::NoCancellationRequest
			);
			assert_ok!(SlaEscrow::request_cancellation(signed(BUYER), id));
			// Only the party that asked withdraws its request.
			assert_noop!(
				SlaEscrow::withdraw_cancellation(signed(PROVIDER), id),
				Error::<Test>::NoCancellationRequest
			);
			assert_ok!(SlaEscrow::withdraw_cancellation(signed(BUYER), id));
			System::assert_last_event(
				Event::CancellationWithdrawn { agreement: id, by: BUYER }.into(),
			);
			// The provider's request alone now cancels nothing.
			assert_ok!(SlaEscrow::request_cancellation(signed(PROVIDER), id));
			assert_eq!(Agreements::<Test>::get(id).unwrap().status, AgreementStatus::Active);
			assert_eq!(held(BUYER), 3 * (AMOUNT + BONUS));
		});
	}
}
