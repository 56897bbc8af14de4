//! Benchmarks of SLA escrow (frame-benchmarking v2), each at its worst case: the most tiers and
//! reporters, a bonus, every reporter with records; settlements and payments measured as the
//! hook runs them.

use super::*;
use frame::benchmarking::prelude::*;

/// An agreement between two new organizations' admins with the most tiers and reporters, each
/// reporter with a record of the first period; returns (buyer, provider, terms).
fn setup<T: Config>(reporters: u32) -> (T::AccountId, T::AccountId, TermsOf<T>) {
	let buyer = T::BenchmarkHelper::admin(0);
	let provider = T::BenchmarkHelper::admin(1);
	let metric = T::BenchmarkHelper::metric();
	let subject: SubjectOf<T> =
		alloc::vec![b's'; T::MaxSubjectLength::get() as usize].try_into().expect("exact length");
	let reporters: ReportersOf<T> = (0..reporters)
		.map(|i| account::<T::AccountId>("reporter", i, 0))
		.collect::<Vec<_>>()
		.try_into()
		.expect("at most MaxReporters");
	for (i, reporter) in reporters.iter().enumerate() {
		T::BenchmarkHelper::record(reporter, &subject, 9_000 + i as i128);
	}
	let tiers: TiersOf<T> = (0..T::MaxTiers::get())
		.map(|i| Tier {
			bound: 9_000 - 100 * (i as i128 + 1),
			payout: Permill::from_percent(90 - 10 * i.min(8)),
		})
		.collect::<Vec<_>>()
		.try_into()
		.expect("MaxTiers");
	let amount: BalanceOf<T> = T::Currency::minimum_balance().max(1u32.into()) * 1_000u32.into();
	let terms = Terms {
		provider: provider.clone(),
		metric,
		subject,
		measure: Measure::Mean,
		comparison: Comparison::AtLeast,
		target: 9_500,
		tiers,
		floor: Permill::zero(),
		bonus: Some(Bonus { bound: 9_900, amount }),
		first_period: T::Records::period_of(metric, Pallet::<T>::now()).expect("the metric exists"),
		periods: T::MaxPeriods::get(),
		amount,
		reporters,
		missing_data: MissingData::CountAsMissed,
		proofs_stand_in: true,
		grace_ms: 0,
		dispute_window_ms: T::MinDisputeWindow::get(),
	};
	let funds = Pallet::<T>::total(&terms).expect("no overflow") * 2u32.into()
		+ T::Currency::minimum_balance();
	T::Currency::set_balance(&buyer, funds);
	T::Currency::set_balance(&provider, funds);
	(buyer, provider, terms)
}

/// An accepted agreement; returns its id and (buyer, provider).
fn accepted<T: Config>(reporters: u32) -> (AgreementId, T::AccountId, T::AccountId) {
	let (buyer, provider, terms) = setup::<T>(reporters);
	let id = NextAgreementId::<T>::get();
	Pallet::<T>::propose(RawOrigin::Signed(buyer.clone()).into(), terms).expect("valid terms");
	Pallet::<T>::accept(RawOrigin::Signed(provider.clone()).into(), id)
		.expect("the provider accepts");
	(id, buyer, provider)
}

/// An accepted agreement with its first period settled and `status`; returns its id.
fn settled<T: Config>(status: SettlementStatus<T::AccountId>) -> (AgreementId, T::AccountId) {
	let (id, buyer, _) = accepted::<T>(1);
	let details = Agreements::<T>::get(id).expect("accepted");
	let period = details.terms.first_period;
	Pallet::<T>::settle(id, details);
	Settlements::<T>::mutate(id, period, |s| s.as_mut().expect("settled").status = status);
	(id, buyer)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn propose() {
		let (buyer, _, terms) = setup::<T>(T::MaxReporters::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), terms);

		assert!(Agreements::<T>::contains_key(0));
	}

	#[benchmark]
	fn withdraw_offer() -> Result<(), BenchmarkError> {
		let (buyer, _, terms) = setup::<T>(1);
		Pallet::<T>::propose(RawOrigin::Signed(buyer.clone()).into(), terms)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), 0);

		assert!(!Agreements::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn accept() -> Result<(), BenchmarkError> {
		let (buyer, provider, terms) = setup::<T>(T::MaxReporters::get());
		Pallet::<T>::propose(RawOrigin::Signed(buyer).into(), terms)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), 0);

		assert_eq!(Agreements::<T>::get(0).map(|a| a.status), Some(AgreementStatus::Active));
		Ok(())
	}

	#[benchmark]
	fn dispute() {
		let (id, buyer) = settled::<T>(SettlementStatus::Open { pay_at: u64::MAX });
		let period = Agreements::<T>::get(id).expect("exists").terms.first_period;

		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), id, period);

		let status = Settlements::<T>::get(id, period).map(|s| s.status);
		assert_eq!(status, Some(SettlementStatus::Disputed { by: buyer }));
	}

	#[benchmark]
	fn resolve_dispute() -> Result<(), BenchmarkError> {
		let buyer_placeholder = T::BenchmarkHelper::admin(0);
		let (id, _) = settled::<T>(SettlementStatus::Disputed { by: buyer_placeholder });
		let period = Agreements::<T>::get(id).expect("exists").terms.first_period;
		let origin =
			T::CouncilOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let share: BalanceOf<T> = T::Currency::minimum_balance().max(1u32.into());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, period, share);

		let status = Settlements::<T>::get(id, period).map(|s| s.status);
		assert_eq!(status, Some(SettlementStatus::Resolved));
		Ok(())
	}

	#[benchmark]
	fn request_cancellation() -> Result<(), BenchmarkError> {
		let (id, buyer, provider) = accepted::<T>(1);
		Pallet::<T>::request_cancellation(RawOrigin::Signed(buyer).into(), id)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id);

		assert_eq!(Agreements::<T>::get(id).map(|a| a.status), Some(AgreementStatus::Cancelled));
		Ok(())
	}

	#[benchmark]
	fn withdraw_cancellation() -> Result<(), BenchmarkError> {
		let (id, buyer, _) = accepted::<T>(1);
		Pallet::<T>::request_cancellation(RawOrigin::Signed(buyer.clone()).into(), id)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id);

		assert_eq!(Agreements::<T>::get(id).and_then(|a| a.cancellation_requested_by), None);
		Ok(())
	}

	/// Settles a period from the records of `r` reporters.
	#[benchmark]
	fn settle(r: Linear<1, { T::MaxReporters::get() }>) {
		let (id, _, _) = accepted::<T>(r);
		let details = Agreements::<T>::get(id).expect("accepted");
		let period = details.terms.first_period;

		#[block]
		{
			Pallet::<T>::settle(id, details);
		}

		assert!(Settlements::<T>::contains_key(id, period));
	}

	/// Pays a settled period: the provider's share moved, the rest released.
	#[benchmark]
	fn pay() {
		let (id, _) = settled::<T>(SettlementStatus::Open { pay_at: 0 });
		let details = Agreements::<T>::get(id).expect("exists");
		let period = details.terms.first_period;
		let settlement = Settlements::<T>::get(id, period).expect("settled");

		#[block]
		{
			Pallet::<T>::pay(
				id,
				details,
				period,
				settlement.provider_share,
				settlement.buyer_share,
				SettlementStatus::Paid,
			)
			.expect("the buyer holds the funds");
		}

		let status = Settlements::<T>::get(id, period).map(|s| s.status);
		assert_eq!(status, Some(SettlementStatus::Paid));
	}

	/// `on_initialize` with jobs queued but none due.
	#[benchmark]
	fn hook_base() {
		accepted::<T>(1);

		#[block]
		{
			Pallet::<T>::run_due_jobs();
		}

		assert_eq!(Queued::<T>::get(), 1);
	}

	/// `on_initialize` stepping over one empty bucket (what it does each block while nothing
	/// is due).
	#[benchmark]
	fn hook_step() {
		accepted::<T>(1);
		let now_bucket = Pallet::<T>::now() / T::BucketMs::get().max(1);
		Cursor::<T>::put(now_bucket);

		#[block]
		{
			Pallet::<T>::run_due_jobs();
		}

		assert_eq!(Cursor::<T>::get(), now_bucket + 1);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::build(), crate::mock::Test);
}
