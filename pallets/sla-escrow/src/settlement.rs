//! Settlement: how a period settles and pays.
//!
//! 1. **The evidence** ([`Pallet::evidence`]): the period's figures over the agreement's
//!    reporters from the records pallet; only if there are none, and the terms let proofs stand
//!    in, the provider's proven range from the disclosure pallet; otherwise nothing.
//! 2. **The decision** ([`decide`], pure): which tier the evidence meets ([`meets`] for
//!    figures, [`proven`] for a proven range, [`level`] for the tiers), or the missing-data rule;
//!    what the settlement is based on ([`Basis`], with the [`measured`] figure); the provider's
//!    share of the amount; whether the bonus is earned. [`Pallet::evaluate`] is the two together.
//! 3. **The settlement** ([`Pallet::settle`]): the provider's and the buyer's shares of what
//!    the period holds ([`shares`], pure); the settlement stored; its payment and the next
//!    period's settlement queued.
//! 4. **The payment** ([`Pallet::pay`]), when the dispute window closes undisputed
//!    ([`Pallet::due_payment`]), or as the council rules on a dispute.
//!
//! The pure functions are tested below without a runtime.

use crate::*;
use frame::traits::tokens::{Fortitude, Precision, Restriction};
use perfledger_primitives::{Aggregate, ProvenRange};

/// What a period settles on, as read by [`Pallet::evidence`]. Not stored and not in the
/// metadata (it has no `TypeInfo`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Evidence {
	/// The period's figures over the agreement's reporters, with at least one value
	/// (`count > 0`).
	Records(Aggregate),
	/// The provider's proven range, with at least one side proved.
	Proof(ProvenRange),
	/// Neither: the missing-data rule applies.
	Missing,
}

/// Whether figures `a` meet `bound` for `measure` and `comparison`. The mean is compared
/// exactly: `sum` against `bound x count`.
pub(crate) fn meets(measure: Measure, comparison: Comparison, a: &Aggregate, bound: i128) -> bool {
	let count = a.count as i128;
	let (value, bound) = match measure {
		Measure::Mean => (a.sum, bound.saturating_mul(count)),
		Measure::Min => (a.min, bound),
		Measure::Max => (a.max, bound),
		Measure::Sum => (a.sum, bound),
		Measure::Count => (count, bound),
	};
	match comparison {
		Comparison::AtLeast => value >= bound,
		Comparison::AtMost => value <= bound,
	}
}

/// Whether a proven range shows the measure meets `bound`. A bound that does not fit an `i64`
/// (what proofs are about) is never shown met.
pub(crate) fn proven(range: &ProvenRange, comparison: Comparison, bound: i128) -> bool {
	i64::try_from(bound).is_ok_and(|bound| match comparison {
		Comparison::AtLeast => range.at_least(bound),
		Comparison::AtMost => range.at_most(bound),
	})
}

/// The figure of `a` a settlement records as measured: for the mean, the sum divided by the
/// count, truncated toward zero (-3.5 is -3). `a.count` must be more than zero.
pub(crate) fn measured(measure: Measure, a: &Aggregate) -> i128 {
	match measure {
		Measure::Mean => a.sum / a.count as i128,
		Measure::Min => a.min,
		Measure::Max => a.max,
		Measure::Sum => a.sum,
		Measure::Count => a.count as i128,
	}
}

/// The provider's share of the amount and whether the bonus is earned, given `meets`, a test
/// of whether the measure meets a bound: 100% at the `target` (and the bonus if its bound is
/// met too), else the payout of the first tier met, else the `floor`.
pub(crate) fn level(
	target: i128,
	tiers: &[Tier],
	floor: Permill,
	bonus_bound: Option<i128>,
	meets: impl Fn(i128) -> bool,
) -> (Permill, bool) {
	if meets(target) {
		return (Permill::one(), bonus_bound.is_some_and(|bound| meets(bound)));
	}
	let payout = tiers.iter().find(|tier| meets(tier.bound)).map_or(floor, |tier| tier.payout);
	(payout, false)
}

/// Decides a period from its evidence: what the settlement is based on, the provider's share
/// of the amount, and whether the bonus is earned. Without evidence, the missing-data rule
/// decides, and no bonus is earned.
pub(crate) fn decide<AccountId, Balance, Subject, Tiers: AsRef<[Tier]>, Reporters>(
	terms: &Terms<AccountId, Balance, Subject, Tiers, Reporters>,
	evidence: Evidence,
) -> (Basis, Permill, bool) {
	let tiers = terms.tiers.as_ref();
	let bonus_bound = terms.bonus.as_ref().map(|bonus| bonus.bound);
	match evidence {
		Evidence::Records(a) => {
			let (payout, bonus) = level(terms.target, tiers, terms.floor, bonus_bound, |bound| {
				meets(terms.measure, terms.comparison, &a, bound)
			});
			let basis = Basis::Records { count: a.count, measured: measured(terms.measure, &a) };
			(basis, payout, bonus)
		}
		Evidence::Proof(range) => {
			let (payout, bonus) = level(terms.target, tiers, terms.floor, bonus_bound, |bound| {
				proven(&range, terms.comparison, bound)
			});
			(Basis::Proof, payout, bonus)
		}
		Evidence::Missing => {
			let payout = match terms.missing_data {
				MissingData::CountAsMissed => terms.floor,
				MissingData::Refund => Permill::zero(),
				MissingData::PayInFull => Permill::one(),
			};
			(Basis::Missing, payout, false)
		}
	}
}

/// A period's `(provider, buyer)` shares of what it holds (`amount` and `bonus`): the
/// provider gets `payout` of the amount, rounded down, and the bonus if earned; the buyer gets
/// the rest.
pub(crate) fn shares<Balance: AtLeast32BitUnsigned + Copy>(
	amount: Balance,
	bonus: Option<Balance>,
	payout: Permill,
	bonus_earned: bool,
) -> (Balance, Balance) {
	let bonus = bonus.unwrap_or_else(Zero::zero);
	let total = amount.saturating_add(bonus);
	let provider =
		payout.mul_floor(amount).saturating_add(if bonus_earned { bonus } else { Zero::zero() });
	(provider, total.saturating_sub(provider))
}

impl<T: Config> Pallet<T> {
	/// Settles the agreement's next period if it is due: what a `Settle` job does, by hand.
	pub(crate) fn do_settle_due(agreement: AgreementId) -> DispatchResult {
		let details = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
		ensure!(details.status == AgreementStatus::Active, Error::<T>::NotActive);
		ensure!(Self::settles_now(&details, Self::next_period(&details)), Error::<T>::NotDue);
		Self::settle(agreement, details);
		Ok(())
	}

	/// What `period` of the agreement `details` settles on. Reads the period's figures over the reporters, and
	/// only if there are none, and the terms let proofs stand in, the provider's proven range.
	pub(crate) fn evidence(details: &AgreementOf<T>, period: u64) -> Evidence {
		let terms = &details.terms;
		let figures =
			T::Records::aggregate_of(terms.metric, &terms.subject, period, &terms.reporters)
				.filter(|a| a.count > 0);
		if let Some(a) = figures {
			return Evidence::Records(a);
		}
		if terms.proofs_stand_in {
			let range = T::Proofs::proven_range(
				details.provider_organization,
				terms.metric,
				&terms.subject,
				period,
			)
			.filter(|r| r.at_least.is_some() || r.at_most.is_some());
			if let Some(range) = range {
				return Evidence::Proof(range);
			}
		}
		Evidence::Missing
	}

	/// Decides a period: what it was based on, the provider's share of the amount, the bonus.
	pub fn evaluate(details: &AgreementOf<T>, period: u64) -> (Basis, Permill, bool) {
		decide(&details.terms, Self::evidence(details, period))
	}

	/// Settles the agreement's next period and queues its payment and the next settlement.
	pub(crate) fn settle(agreement: AgreementId, mut details: AgreementOf<T>) {
		let period = Self::next_period(&details);
		let (basis, payout, bonus) = Self::evaluate(&details, period);
		let (provider_share, buyer_share) =
			shares(details.terms.amount, details.terms.bonus.map(|b| b.amount), payout, bonus);
		let pay_at = Self::now().saturating_add(details.terms.dispute_window_ms);
		Settlements::<T>::insert(
			agreement,
			period,
			Settlement {
				basis,
				payout,
				bonus,
				provider_share,
				buyer_share,
				status: SettlementStatus::Open { pay_at },
			},
		);
		details.settled = details.settled.saturating_add(1);
		let next = Self::next_period(&details);
		let more = details.settled < details.terms.periods;
		let next_due = Self::settle_time(&details.terms, next).ok();
		if !more {
			details.status = AgreementStatus::Completed;
			Self::release_metric(details.terms.metric);
		}
		Agreements::<T>::insert(agreement, details);
		Self::deposit_event(Event::Settled {
			agreement,
			period,
			basis,
			payout,
			bonus,
			provider_share,
			buyer_share,
			pay_at,
		});
		Self::schedule(pay_at, Job::Pay(agreement, period));
		match (more, next_due) {
			(true, Some(due)) => Self::schedule(due, Job::Settle(agreement, next)),
			(true, None) => {}
			(false, _) => Self::deposit_event(Event::Completed { agreement }),
		}
	}

	/// Moves a period's held funds: `provider_share` to the provider, the rest released to the
	/// buyer. Changes nothing if either move fails.
	pub(crate) fn pay(
		agreement: AgreementId,
		mut details: AgreementOf<T>,
		period: u64,
		provider_share: BalanceOf<T>,
		buyer_share: BalanceOf<T>,
		status: SettlementStatus<T::AccountId>,
	) -> DispatchResult {
		frame::deps::frame_support::storage::with_storage_layer(|| {
			let reason = HoldReason::Escrow.into();
			if !provider_share.is_zero() {
				T::Currency::transfer_on_hold(
					&reason,
					&details.buyer,
					&details.terms.provider,
					provider_share,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)?;
			}
			T::Currency::release(&reason, &details.buyer, buyer_share, Precision::Exact)?;
			details.held = details.held.saturating_sub(provider_share.saturating_add(buyer_share));
			Agreements::<T>::insert(agreement, details);
			Settlements::<T>::mutate(agreement, period, |slot| {
				if let Some(settlement) = slot {
					settlement.provider_share = provider_share;
					settlement.buyer_share = buyer_share;
					settlement.status = status;
				}
			});
			Ok(())
		})
	}

	/// The agreement and a settled period whose dispute window has closed undisputed.
	pub(crate) fn due_payment(
		agreement: AgreementId,
		period: u64,
	) -> Result<(AgreementOf<T>, SettlementOf<T>), DispatchError> {
		let details = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
		let settlement =
			Settlements::<T>::get(agreement, period).ok_or(Error::<T>::UnknownSettlement)?;
		match settlement.status {
			SettlementStatus::Open { pay_at } if pay_at <= Self::now() => Ok((details, settlement)),
			_ => Err(Error::<T>::NotDue.into()),
		}
	}

	/// Pays a due period as it was settled, and says so.
	pub(crate) fn pay_as_settled(
		agreement: AgreementId,
		details: AgreementOf<T>,
		period: u64,
		settlement: &SettlementOf<T>,
	) -> DispatchResult {
		let (provider_share, buyer_share) = (settlement.provider_share, settlement.buyer_share);
		Self::pay(agreement, details, period, provider_share, buyer_share, SettlementStatus::Paid)?;
		Self::deposit_event(Event::Paid { agreement, period, provider_share, buyer_share });
		Ok(())
	}

	/// Whether `period` of the agreement `details` is the one to settle now: the agreement is active, the period
	/// is its next unsettled one, and its end and grace have passed.
	pub(crate) fn settles_now(details: &AgreementOf<T>, period: u64) -> bool {
		details.status == AgreementStatus::Active
			&& Self::next_period(details) == period
			&& Self::settle_time(&details.terms, period).is_ok_and(|due| due <= Self::now())
	}

	/// The first period of the agreement `details` not yet settled.
	pub(crate) fn next_period(details: &AgreementOf<T>) -> u64 {
		details.terms.first_period.saturating_add(details.settled.into())
	}

	/// An agreement's settlements, by period.
	pub fn history(agreement: AgreementId) -> Vec<(u64, SettlementOf<T>)> {
		let mut history: Vec<_> = Settlements::<T>::iter_prefix(agreement).collect();
		history.sort_by_key(|(period, _)| *period);
		history
	}

	/// Disputes `period`'s settlement for `who`, a party, within its window.
	pub(crate) fn do_dispute(
		who: T::AccountId,
		agreement: AgreementId,
		period: u64,
	) -> DispatchResult {
		let details = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
		ensure!(who == details.buyer || who == details.terms.provider, Error::<T>::NotParty);
		Settlements::<T>::try_mutate(agreement, period, |slot| {
			let settlement = slot.as_mut().ok_or(Error::<T>::UnknownSettlement)?;
			match settlement.status {
				SettlementStatus::Open { pay_at } if Self::now() < pay_at => {
					settlement.status = SettlementStatus::Disputed { by: who.clone() };
					Ok::<_, Error<T>>(())
				}
				_ => Err(Error::<T>::NotDisputable),
			}
		})?;
		Self::deposit_event(Event::Disputed { agreement, period, by: who });
		Ok(())
	}

	/// Pays a disputed settlement as the council ruled: `provider_share` to the provider, the
	/// rest of what the period holds to the buyer.
	pub(crate) fn do_resolve_dispute(
		agreement: AgreementId,
		period: u64,
		provider_share: BalanceOf<T>,
	) -> DispatchResult {
		let details = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
		let settlement =
			Settlements::<T>::get(agreement, period).ok_or(Error::<T>::UnknownSettlement)?;
		ensure!(
			matches!(settlement.status, SettlementStatus::Disputed { .. }),
			Error::<T>::NotDisputed
		);
		let total = settlement.provider_share.saturating_add(settlement.buyer_share);
		ensure!(provider_share <= total, Error::<T>::ShareAboveTotal);
		let buyer_share = total - provider_share;
		Self::pay(
			agreement,
			details,
			period,
			provider_share,
			buyer_share,
			SettlementStatus::Resolved,
		)?;
		Self::deposit_event(Event::DisputeResolved {
			agreement,
			period,
			provider_share,
			buyer_share,
		});
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn percent(n: u32) -> Permill {
		Permill::from_percent(n)
	}

	fn tier(bound: i128, payout: u32) -> Tier {
		Tier { bound, payout: percent(payout) }
	}

	/// The pallet tests' terms: mean at least 95.00%; 80% from 90.00%, 50% from 80.00%, 10%
	/// below; a bonus of 7 from 99.00%; 1_001 a period; missed when no data.
	fn terms() -> Terms<u64, u64, Vec<u8>, Vec<Tier>, Vec<u64>> {
		Terms {
			provider: 2,
			metric: 0,
			subject: b"lane DE-FI".to_vec(),
			measure: Measure::Mean,
			comparison: Comparison::AtLeast,
			target: 9_500,
			tiers: vec![tier(9_000, 80), tier(8_000, 50)],
			floor: percent(10),
			bonus: Some(Bonus { bound: 9_900, amount: 7 }),
			first_period: 0,
			periods: 1,
			amount: 1_001,
			reporters: vec![4, 5],
			missing_data: MissingData::CountAsMissed,
			proofs_stand_in: false,
			grace_ms: 0,
			dispute_window_ms: 3_600_000,
		}
	}

	/// The README's "temperature never above 8.0 °C": max at most 80; 50% up to 100; no bonus.
	fn at_most_80() -> Terms<u64, u64, Vec<u8>, Vec<Tier>, Vec<u64>> {
		Terms {
			measure: Measure::Max,
			comparison: Comparison::AtMost,
			target: 80,
			tiers: vec![tier(100, 50)],
			bonus: None,
			..terms()
		}
	}

	fn figures(count: u32, sum: i128, min: i128, max: i128) -> Evidence {
		Evidence::Records(Aggregate { count, sum, min, max, superseded: 0 })
	}

	fn range(at_least: Option<i64>, at_most: Option<i64>) -> Evidence {
		Evidence::Proof(ProvenRange { at_least, at_most })
	}

	/// Figures with only a count and a sum.
	fn agg(count: u32, sum: i128) -> Aggregate {
		Aggregate { count, sum, ..Default::default() }
	}

	#[test]
	fn a_mean_between_target_and_tier_pays_the_tier() {
		// The pallet test's third period: 90.00% and 94.00%.
		assert_eq!(
			decide(&terms(), figures(2, 18_400, 9_000, 9_400)),
			(Basis::Records { count: 2, measured: 9_200 }, percent(80), false)
		);
		// 85.00%: the second tier; 70.00%: below every tier, the floor.
		assert_eq!(decide(&terms(), figures(2, 17_000, 8_400, 8_600)).1, percent(50));
		assert_eq!(decide(&terms(), figures(2, 14_000, 6_000, 8_000)).1, percent(10));
	}

	#[test]
	fn the_target_pays_in_full_and_the_bonus_bound_earns_the_bonus() {
		assert_eq!(
			decide(&terms(), figures(2, 19_900, 9_950, 9_950)),
			(Basis::Records { count: 2, measured: 9_950 }, Permill::one(), true)
		);
		assert_eq!(
			decide(&terms(), figures(2, 19_200, 9_500, 9_700)),
			(Basis::Records { count: 2, measured: 9_600 }, Permill::one(), false)
		);
		assert_eq!(shares(1_001u64, Some(7), Permill::one(), true), (1_008, 0));
		assert_eq!(shares(1_001u64, Some(7), Permill::one(), false), (1_001, 7));
	}

	#[test]
	fn the_mean_compares_exactly_and_is_recorded_truncated_toward_zero() {
		// A mean of 9_499.67 is below the target 9_500, though recorded as 9_499.
		assert_eq!(
			decide(&terms(), figures(3, 28_499, 9_000, 9_800)),
			(Basis::Records { count: 3, measured: 9_499 }, percent(80), false)
		);
		assert_eq!(decide(&terms(), figures(3, 28_500, 9_000, 9_800)).1, Permill::one());
		assert!(!meets(Measure::Mean, Comparison::AtLeast, &agg(3, 28_499), 9_500));
		assert!(meets(Measure::Mean, Comparison::AtLeast, &agg(3, 28_500), 9_500));
		// -3.5 is recorded as -3, not -4.
		assert_eq!(measured(Measure::Mean, &agg(2, -7)), -3);
		assert_eq!(
			decide(&terms(), figures(2, -7, -10, 3)),
			(Basis::Records { count: 2, measured: -3 }, percent(10), false)
		);
	}

	#[test]
	fn each_measure_is_its_own_figure() {
		let a = Aggregate { count: 3, sum: 180, min: 20, max: 100, superseded: 1 };
		assert_eq!(measured(Measure::Mean, &a), 60);
		assert_eq!(measured(Measure::Min, &a), 20);
		assert_eq!(measured(Measure::Max, &a), 100);
		assert_eq!(measured(Measure::Sum, &a), 180);
		assert_eq!(measured(Measure::Count, &a), 3);
		assert!(meets(Measure::Min, Comparison::AtLeast, &a, 20));
		assert!(!meets(Measure::Min, Comparison::AtLeast, &a, 21));
		assert!(meets(Measure::Max, Comparison::AtMost, &a, 100));
		assert!(!meets(Measure::Max, Comparison::AtMost, &a, 99));
		assert!(meets(Measure::Sum, Comparison::AtMost, &a, 180));
		assert!(!meets(Measure::Sum, Comparison::AtLeast, &a, 181));
		assert!(meets(Measure::Count, Comparison::AtLeast, &a, 3));
		assert!(!meets(Measure::Count, Comparison::AtLeast, &a, 4));
	}

	#[test]
	fn a_max_beyond_every_tier_pays_the_floor() {
		// The pallet test's case: values 60 and 120, never above 80.
		assert_eq!(
			decide(&at_most_80(), figures(2, 180, 60, 120)),
			(Basis::Records { count: 2, measured: 120 }, percent(10), false)
		);
		assert_eq!(decide(&at_most_80(), figures(2, 145, 60, 85)).1, percent(50));
		assert_eq!(decide(&at_most_80(), figures(3, 215, 60, 80)).1, Permill::one());
	}

	#[test]
	fn a_proven_range_stands_in_for_the_measure() {
		assert_eq!(
			decide(&at_most_80(), range(None, Some(75))),
			(Basis::Proof, Permill::one(), false)
		);
		assert_eq!(
			decide(&at_most_80(), range(None, Some(90))),
			(Basis::Proof, percent(50), false)
		);
		// Proved on the other side only: nothing met, the floor.
		assert_eq!(decide(&at_most_80(), range(Some(0), None)), (Basis::Proof, percent(10), false));
		// The pallet test's proof: at least 91.00%, the 80% tier; at least 99.90%, the bonus.
		assert_eq!(decide(&terms(), range(Some(9_100), None)), (Basis::Proof, percent(80), false));
		assert_eq!(
			decide(&terms(), range(Some(9_990), None)),
			(Basis::Proof, Permill::one(), true)
		);
	}

	#[test]
	fn a_bound_beyond_i64_is_never_proven() {
		let r = ProvenRange { at_least: Some(i64::MAX), at_most: Some(i64::MIN) };
		assert!(proven(&r, Comparison::AtLeast, i64::MAX as i128));
		assert!(!proven(&r, Comparison::AtLeast, i64::MAX as i128 + 1));
		assert!(!proven(&r, Comparison::AtLeast, i128::MAX));
		assert!(proven(&r, Comparison::AtMost, i64::MIN as i128));
		assert!(!proven(&r, Comparison::AtMost, i128::MIN));
	}

	#[test]
	fn missing_evidence_settles_by_the_missing_data_rule_without_bonus() {
		assert_eq!(decide(&terms(), Evidence::Missing), (Basis::Missing, percent(10), false));
		let refund = Terms { missing_data: MissingData::Refund, ..terms() };
		assert_eq!(decide(&refund, Evidence::Missing), (Basis::Missing, Permill::zero(), false));
		let in_full = Terms { missing_data: MissingData::PayInFull, ..terms() };
		assert_eq!(decide(&in_full, Evidence::Missing), (Basis::Missing, Permill::one(), false));
	}

	#[test]
	fn level_takes_the_first_tier_met_and_the_bonus_only_with_the_target() {
		let tiers = [tier(9_000, 80), tier(8_000, 50)];
		let at = |value: i128| move |bound: i128| value >= bound;
		let pays = |value| level(9_500, &tiers, percent(10), Some(9_900), at(value));
		assert_eq!(pays(9_950), (Permill::one(), true));
		assert_eq!(pays(9_500), (Permill::one(), false));
		assert_eq!(pays(9_499), (percent(80), false));
		assert_eq!(pays(8_000), (percent(50), false));
		assert_eq!(pays(7_999), (percent(10), false));
		// Without a bonus, the target earns none.
		assert_eq!(level(9_500, &tiers, percent(10), None, at(9_950)), (Permill::one(), false));
	}

	#[test]
	fn shares_round_the_provider_down_and_give_the_buyer_the_rest() {
		// The pallet test's periods: 80%, 50% and 10% of 1_001, the bonus of 7 back to the buyer.
		assert_eq!(shares(1_001u64, Some(7), percent(80), false), (800, 208));
		assert_eq!(shares(1_001u64, Some(7), percent(50), false), (500, 508));
		assert_eq!(shares(1_001u64, Some(7), percent(10), false), (100, 908));
		assert_eq!(shares(1_001u64, None, Permill::zero(), false), (0, 1_001));
		assert_eq!(shares(1_001u64, None, Permill::one(), true), (1_001, 0));
	}
}
