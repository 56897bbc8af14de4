//! The pallet's invariants, checked by `try_state` (with the `try-runtime` feature) and after
//! every test.

use crate::*;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants: each buyer's escrow hold is what its agreements hold;
	/// an agreement holds what its unpaid settlements and unsettled periods hold; the queue
	/// count matches the queue; the count of active agreements per metric matches the
	/// agreements.
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let mut by_buyer = alloc::collections::BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (id, details) in Agreements::<T>::iter() {
			let unpaid = Settlements::<T>::iter_prefix(id)
				.filter(|(_, s)| {
					matches!(
						s.status,
						SettlementStatus::Open { .. } | SettlementStatus::Disputed { .. }
					)
				})
				.fold(BalanceOf::<T>::zero(), |sum, (_, s)| sum + s.provider_share + s.buyer_share);
			let unsettled = match details.status {
				AgreementStatus::Active => {
					Self::period_total(&details.terms)?
						* details.terms.periods.saturating_sub(details.settled).into()
				}
				_ => Zero::zero(),
			};
			ensure!(
				details.held == unpaid + unsettled,
				"an agreement's hold does not match its periods"
			);
			let entry = by_buyer.entry(details.buyer.clone()).or_insert_with(Zero::zero);
			*entry = *entry + details.held;
		}
		for (buyer, held) in by_buyer {
			use frame::traits::fungible::InspectHold;
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Escrow.into(), &buyer) == held,
				"a buyer's escrow hold does not match its agreements"
			);
		}
		let queued: u32 = Queue::<T>::iter_values().map(|jobs| jobs.len() as u32).sum();
		ensure!(queued == Queued::<T>::get(), "the queue count does not match the queue");
		let active = Self::active_by_metric();
		ensure!(
			ActiveByMetric::<T>::iter().collect::<alloc::collections::BTreeMap<_, _>>() == active,
			"the active agreements per metric do not match the agreements"
		);
		Ok(())
	}
}
