//! Terms: what an agreement's terms must satisfy before it is proposed, what they hold in
//! escrow, and when each of their periods ends and settles.
//!
//! The rules and sums are pure functions ([`better`], [`tiers_in_order`], [`floor_below`],
//! [`period_total`], [`total`], [`period_end`], [`settle_time`]), tested below without a
//! runtime. The `Pallet` functions read what the rules need (the clock, the metric's period
//! length, the pallet's bounds) and turn a broken rule or an overflow into its error;
//! `Pallet::period_total`, `total`, `period_end` and `settle_time` wrap the pure functions of
//! the same names.

use crate::*;

/// Whether `a` is on the good side of `b`, strictly.
pub(crate) fn better(comparison: Comparison, a: i128, b: i128) -> bool {
	match comparison {
		Comparison::AtLeast => a > b,
		Comparison::AtMost => a < b,
	}
}

/// Whether `tiers` step away from `target`: each tier's bound is strictly on the bad side of
/// the bound before it (the target, for the first tier), and each pays strictly less than the
/// one before (than 100%, for the first tier).
pub(crate) fn tiers_in_order(comparison: Comparison, target: i128, tiers: &[Tier]) -> bool {
	let mut previous = (target, Permill::one());
	for tier in tiers {
		if !(better(comparison, previous.0, tier.bound) && tier.payout < previous.1) {
			return false;
		}
		previous = (tier.bound, tier.payout);
	}
	true
}

/// Whether `floor` pays strictly less than every tier: less than the last tier's payout, or
/// less than 100% without tiers. Meant for tiers in order ([`tiers_in_order`]).
pub(crate) fn floor_below(floor: Permill, tiers: &[Tier]) -> bool {
	floor < tiers.last().map_or(Permill::one(), |tier| tier.payout)
}

/// What one period holds: its amount and its bonus. `None` if the sum overflows.
pub(crate) fn period_total<Balance: CheckedAdd + Zero + Copy>(
	amount: Balance,
	bonus: Option<&Bonus<Balance>>,
) -> Option<Balance> {
	amount.checked_add(&bonus.map_or(Zero::zero(), |bonus| bonus.amount))
}

/// What `periods` periods hold: each its amount and its bonus. `None` if the sum overflows.
pub(crate) fn total<Balance: CheckedAdd + CheckedMul + Zero + Copy + From<u32>>(
	amount: Balance,
	bonus: Option<&Bonus<Balance>>,
	periods: u32,
) -> Option<Balance> {
	period_total(amount, bonus)?.checked_mul(&periods.into())
}

/// When `period` ends (ms), for periods `period_ms` long: the start of the next one. `None` on
/// overflow.
pub(crate) fn period_end(period: u64, period_ms: u64) -> Option<u64> {
	period.checked_add(1).and_then(|end| end.checked_mul(period_ms))
}

/// When `period` settles (ms): its end plus the grace for late records. `None` on overflow.
pub(crate) fn settle_time(period: u64, period_ms: u64, grace_ms: u64) -> Option<u64> {
	period_end(period, period_ms)?.checked_add(grace_ms)
}

impl<T: Config> Pallet<T> {
	/// The chain's time (ms).
	pub(crate) fn now() -> u64 {
		T::Clock::now().as_millis() as u64
	}

	/// Checks terms as proposed, in this order: the number of periods, the amount, the dispute
	/// window, the grace, that some evidence can count and no reporter is listed twice, the
	/// tiers, the floor and the bonus; then that the metric exists, that the first period has
	/// not ended, and that the periods' times do not overflow (the settlement time of the
	/// period after the last is computed).
	pub(crate) fn check_terms(terms: &TermsOf<T>) -> DispatchResult {
		ensure!(terms.periods > 0 && terms.periods <= T::MaxPeriods::get(), Error::<T>::BadPeriods);
		ensure!(!terms.amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(
			(T::MinDisputeWindow::get()..=T::MaxDisputeWindow::get())
				.contains(&terms.dispute_window_ms),
			Error::<T>::BadDisputeWindow
		);
		ensure!(terms.grace_ms <= T::MaxGrace::get(), Error::<T>::BadGrace);
		ensure!(!terms.reporters.is_empty() || terms.proofs_stand_in, Error::<T>::NoEvidence);
		let mut reporters = terms.reporters.to_vec();
		reporters.sort();
		reporters.dedup();
		ensure!(reporters.len() == terms.reporters.len(), Error::<T>::DuplicateReporter);
		ensure!(
			tiers_in_order(terms.comparison, terms.target, &terms.tiers),
			Error::<T>::TiersOutOfOrder
		);
		ensure!(floor_below(terms.floor, &terms.tiers), Error::<T>::FloorAboveTiers);
		if let Some(bonus) = &terms.bonus {
			ensure!(
				better(terms.comparison, bonus.bound, terms.target),
				Error::<T>::BonusNotBeyondTarget
			);
		}
		let current =
			T::Records::period_of(terms.metric, Self::now()).ok_or(Error::<T>::UnknownMetric)?;
		ensure!(terms.first_period >= current, Error::<T>::PeriodPassed);
		Self::settle_time(terms, terms.first_period.saturating_add(terms.periods.into()))?;
		Ok(())
	}

	/// What one period of `terms` holds: its amount and its bonus.
	pub(crate) fn period_total(terms: &TermsOf<T>) -> Result<BalanceOf<T>, DispatchError> {
		Ok(period_total(terms.amount, terms.bonus.as_ref()).ok_or(Error::<T>::Overflow)?)
	}

	/// What the whole agreement holds: every period's amount and bonus.
	pub(crate) fn total(terms: &TermsOf<T>) -> Result<BalanceOf<T>, DispatchError> {
		Ok(total(terms.amount, terms.bonus.as_ref(), terms.periods).ok_or(Error::<T>::Overflow)?)
	}

	/// When `period` of the terms' metric ends (ms).
	pub(crate) fn period_end(terms: &TermsOf<T>, period: u64) -> Result<u64, DispatchError> {
		let length = T::Records::period_ms(terms.metric).ok_or(Error::<T>::UnknownMetric)?;
		period_end(period, length).ok_or(Error::<T>::Overflow.into())
	}

	/// When `period` settles (ms): its end plus the terms' grace for late records.
	pub(crate) fn settle_time(terms: &TermsOf<T>, period: u64) -> Result<u64, DispatchError> {
		let length = T::Records::period_ms(terms.metric).ok_or(Error::<T>::UnknownMetric)?;
		settle_time(period, length, terms.grace_ms).ok_or(Error::<T>::Overflow.into())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn tier(bound: i128, percent: u32) -> Tier {
		Tier { bound, payout: Permill::from_percent(percent) }
	}

	#[test]
	fn better_is_strict_on_either_side() {
		assert!(better(Comparison::AtLeast, 9_501, 9_500));
		assert!(!better(Comparison::AtLeast, 9_500, 9_500));
		assert!(!better(Comparison::AtLeast, 9_499, 9_500));
		assert!(better(Comparison::AtMost, 79, 80));
		assert!(!better(Comparison::AtMost, 80, 80));
		assert!(!better(Comparison::AtMost, 81, 80));
	}

	#[test]
	fn tiers_step_away_from_the_target_paying_less() {
		// The pallet tests' terms: at least 95.00%, 80% from 90.00%, 50% from 80.00%.
		assert!(tiers_in_order(Comparison::AtLeast, 9_500, &[tier(9_000, 80), tier(8_000, 50)]));
		assert!(tiers_in_order(Comparison::AtLeast, 9_500, &[]));
		// "Never above 8.0 °C": 50% up to 10.0 °C.
		assert!(tiers_in_order(Comparison::AtMost, 80, &[tier(100, 50)]));
		// A first tier paying 100% pays no less than the target.
		assert!(!tiers_in_order(Comparison::AtLeast, 9_500, &[tier(9_000, 100)]));
		// Bounds out of order, bounds equal, payouts not falling.
		assert!(!tiers_in_order(Comparison::AtLeast, 9_500, &[tier(8_000, 50), tier(9_000, 80)]));
		assert!(!tiers_in_order(Comparison::AtLeast, 9_500, &[tier(9_500, 80)]));
		assert!(!tiers_in_order(Comparison::AtLeast, 9_500, &[tier(9_000, 50), tier(8_000, 50)]));
		// On the good side of the target, for either comparison.
		assert!(!tiers_in_order(Comparison::AtLeast, 9_500, &[tier(9_600, 80)]));
		assert!(!tiers_in_order(Comparison::AtMost, 80, &[tier(60, 50)]));
	}

	#[test]
	fn the_floor_pays_less_than_the_last_tier_or_than_everything() {
		assert!(floor_below(Permill::from_percent(10), &[tier(9_000, 80), tier(8_000, 50)]));
		assert!(!floor_below(Permill::from_percent(50), &[tier(9_000, 80), tier(8_000, 50)]));
		assert!(floor_below(Permill::from_percent(99), &[]));
		assert!(!floor_below(Permill::one(), &[]));
	}

	#[test]
	fn totals_add_the_bonus_to_each_period_and_overflow_to_none() {
		let bonus = Bonus { bound: 9_900, amount: 7u64 };
		assert_eq!(period_total(1_001u64, Some(&bonus)), Some(1_008));
		assert_eq!(period_total(1_001u64, None), Some(1_001));
		assert_eq!(period_total(u64::MAX, Some(&bonus)), None);
		assert_eq!(total(1_001u64, Some(&bonus), 5), Some(5_040));
		assert_eq!(total(1_001u64, None, 5), Some(5_005));
		assert_eq!(total(1_001u64, Some(&bonus), 0), Some(0));
		assert_eq!(total(u64::MAX / 2, None, 3), None);
	}

	#[test]
	fn a_period_ends_where_the_next_begins_and_settles_after_its_grace() {
		const DAY: u64 = 86_400_000;
		assert_eq!(period_end(0, DAY), Some(DAY));
		assert_eq!(period_end(5, DAY), Some(518_400_000));
		assert_eq!(period_end(u64::MAX, 1), None);
		assert_eq!(period_end(u64::MAX / 2, 4), None);
		assert_eq!(settle_time(5, DAY, 0), Some(518_400_000));
		assert_eq!(settle_time(5, DAY, 60_000), Some(518_460_000));
		assert_eq!(settle_time(0, u64::MAX, 0), Some(u64::MAX));
		assert_eq!(settle_time(0, u64::MAX, 1), None);
	}
}
