//! Benchmarks of consortium governance (frame-benchmarking v2).
//!
//! They run against the runtime's real council seats and organizations, so the measured
//! weights include what `admit` and `remove_member` cost in the pallets they call.

use super::*;
use frame::{benchmarking::prelude::*, traits::fungible::Mutate};
use perfledger_primitives::Region;

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, i, 0);
	let amount =
		T::ApplicationDeposit::get().saturating_mul(100u32.into()) + T::Currency::minimum_balance();
	T::Currency::set_balance(&who, amount);
	who
}

fn org_name<T: Config>() -> NameOf<T> {
	alloc::vec![b'x'; T::MaxNameLength::get() as usize].try_into().expect("exact length")
}

/// Admits `n` members through the pallet's own path.
fn seat<T: Config>(n: u32) -> Result<Vec<T::AccountId>, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
{
	let origin =
		T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let mut seated = Vec::new();
	for i in 0..n {
		let who = funded::<T>("member", i);
		Pallet::<T>::apply(RawOrigin::Signed(who.clone()).into(), org_name::<T>(), Region(*b"DE"))?;
		Pallet::<T>::admit(origin.clone(), who.clone())?;
		seated.push(who);
	}
	Ok(seated)
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn apply() {
		let who = funded::<T>("applicant", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), org_name::<T>(), Region(*b"DE"));
		assert!(Applications::<T>::contains_key(&who));
	}

	#[benchmark]
	fn withdraw_application() -> Result<(), BenchmarkError> {
		let who = funded::<T>("applicant", 0);
		Pallet::<T>::apply(RawOrigin::Signed(who.clone()).into(), org_name::<T>(), Region(*b"DE"))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Applications::<T>::contains_key(&who));
		Ok(())
	}

	/// `m`: the seats before admission (membership and collective work grows with them).
	#[benchmark]
	fn admit(m: Linear<1, { T::MaxCouncilSize::get() - 1 }>) -> Result<(), BenchmarkError> {
		seat::<T>(m.saturating_sub(Members::<T>::count()))?;
		let who = funded::<T>("applicant", 0);
		Pallet::<T>::apply(RawOrigin::Signed(who.clone()).into(), org_name::<T>(), Region(*b"DE"))?;
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Members::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn reject() -> Result<(), BenchmarkError> {
		let who = funded::<T>("applicant", 0);
		Pallet::<T>::apply(RawOrigin::Signed(who.clone()).into(), org_name::<T>(), Region(*b"DE"))?;
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), true);
		assert!(!Applications::<T>::contains_key(&who));
		Ok(())
	}

	/// `m`: the seats before removal, above the minimum the council keeps.
	#[benchmark]
	fn remove_member(
		m: Linear<{ T::MinCouncilSize::get() + 1 }, { T::MaxCouncilSize::get() }>,
	) -> Result<(), BenchmarkError> {
		seat::<T>(m.saturating_sub(Members::<T>::count()))?;
		let gone = Members::<T>::iter_keys().next().ok_or(BenchmarkError::Weightless)?;
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, gone.clone());
		assert!(!Members::<T>::contains_key(&gone));
		Ok(())
	}

	#[benchmark]
	fn amend_charter() -> Result<(), BenchmarkError> {
		let origin =
			T::CharterOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let uri: UriOf<T> =
			alloc::vec![b'u'; T::MaxUriLength::get() as usize].try_into().expect("exact length");
		let version = CharterVersion::<T>::get() + 1;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::Hash::default(), uri, version);
		assert_eq!(CharterVersion::<T>::get(), version);
		Ok(())
	}

	#[benchmark]
	fn authorize_upgrade() -> Result<(), BenchmarkError> {
		let origin =
			T::UpgradeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::Hash::default());
		assert!(frame_system::Pallet::<T>::authorized_upgrade().is_some());
		Ok(())
	}

	#[benchmark]
	fn rotate_prime(m: Linear<1, { T::MaxCouncilSize::get() }>) -> Result<(), BenchmarkError> {
		let present = T::Council::members().len() as u32;
		seat::<T>(m.saturating_sub(present))?;
		let term = T::Council::members()
			.iter()
			.position(|p| Some(p) != T::Council::prime().as_ref())
			.unwrap_or(0) as u32;
		#[block]
		{
			Pallet::<T>::rotate_prime(term);
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::build(), crate::mock::Test);
}
