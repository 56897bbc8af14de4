//! Benchmarks of the validator set (frame-benchmarking v2).

use super::*;
use frame::benchmarking::prelude::*;

/// Fills the set with `v` validators whose keys are registered.
fn fill<T: Config>(v: u32) -> Vec<T::AccountId> {
	let validators: Vec<T::AccountId> = (0..v).map(|i| account("validator", i, 0)).collect();
	Validators::<T>::put(ValidatorList::<T>::try_from(validators.clone()).expect("v <= Max"));
	validators
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator(v: Linear<1, { T::MaxValidators::get() - 1 }>) -> Result<(), BenchmarkError> {
		fill::<T>(v);
		let new: T::AccountId = account("new", 0, 0);
		T::BenchmarkHelper::register_session_keys(&new);
		let origin =
			T::ValidatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new.clone());

		assert!(Validators::<T>::get().contains(&new));
		Ok(())
	}

	#[benchmark]
	fn remove_validator(v: Linear<2, { T::MaxValidators::get() }>) -> Result<(), BenchmarkError> {
		let validators = fill::<T>(v);
		MinValidators::<T>::put(1);
		let gone = validators[0].clone();
		let origin =
			T::ValidatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, gone.clone());

		assert!(!Validators::<T>::get().contains(&gone));
		Ok(())
	}

	#[benchmark]
	fn set_min_validators() -> Result<(), BenchmarkError> {
		fill::<T>(T::MaxValidators::get());
		let origin =
			T::ValidatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 2);

		assert_eq!(MinValidators::<T>::get(), 2);
		Ok(())
	}

	#[benchmark]
	fn recover_finality() -> Result<(), BenchmarkError> {
		frame_system::Pallet::<T>::set_block_number(10u32.into());
		let delay = T::MaxRecoveryDelay::get();
		let best_finalized: BlockNumberFor<T> = 1u32.into();
		let origin =
			T::ValidatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, delay, best_finalized);

		let event: <T as Config>::RuntimeEvent =
			Event::<T>::FinalityRecoveryScheduled { delay, best_finalized }.into();
		frame_system::Pallet::<T>::assert_last_event(event.into());
		Ok(())
	}

	#[benchmark]
	fn purge_keys() -> Result<(), BenchmarkError> {
		// A candidate with keys set, against the largest set the check scans.
		let candidate: T::AccountId = account("candidate", 0, 0);
		T::BenchmarkHelper::register_session_keys(&candidate);
		for i in Validators::<T>::get().len() as u32..T::MaxValidators::get() {
			let who: T::AccountId = account("validator", i, 0);
			Validators::<T>::try_mutate(|v| v.try_push(who))
				.map_err(|_| BenchmarkError::Weightless)?;
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(candidate.clone()));

		let event: <T as Config>::RuntimeEvent = Event::<T>::KeysPurged { who: candidate }.into();
		frame_system::Pallet::<T>::assert_last_event(event.into());
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
