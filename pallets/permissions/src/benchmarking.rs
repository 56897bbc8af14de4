//! Benchmarks of permissions (frame-benchmarking v2), each at its worst case.

use super::*;
use frame::benchmarking::prelude::*;

const DE: Region = Region(*b"DE");

fn name<T: Config>() -> Vec<u8> {
	alloc::vec![b'x'; T::MaxNameLength::get() as usize]
}

/// A scope as long as allowed.
fn widest_scope<T: Config>() -> ScopeOf<T> {
	let metrics: Vec<_> = (0..T::MaxScopedMetrics::get()).collect();
	Scope { metrics: metrics.try_into().expect("exact length"), region: Some(DE) }
}

/// A new organization; returns its owner (and first admin) and id.
pub(crate) fn organization<T: Config>(
	i: u32,
) -> Result<(T::AccountId, OrganizationId), BenchmarkError> {
	let owner: T::AccountId = account("owner", i, 0);
	let id = <Pallet<T> as OrganizationLifecycle<_>>::on_admitted(&owner, &name::<T>(), DE)?;
	Ok((owner, id))
}

/// Fills block `at`'s expiry queue with `n` entries of other accounts.
fn queue_expiries<T: Config>(at: BlockNumberFor<T>, n: u32) {
	let queue: Vec<_> = (0..n).map(|i| (account("queued", i, 0), Role::Reporter)).collect();
	Expiries::<T>::insert(at, BoundedVec::try_from(queue).expect("within the bound"));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Replaces a grant whose expiry sits last in a full queue with one expiring in another
	/// nearly full queue, for an account holding every other role.
	#[benchmark]
	fn grant_role() -> Result<(), BenchmarkError> {
		let (admin, organization) = organization::<T>(0)?;
		let who: T::AccountId = account("grantee", 0, 0);
		let max = T::MaxExpiriesPerBlock::get();
		let (old_end, new_end) = (100u32.into(), 200u32.into());
		queue_expiries::<T>(old_end, max - 1);
		queue_expiries::<T>(new_end, max - 1);
		for role in
			[Role::DeviceManager, Role::OrganizationAdmin, Role::ModelContributor, Role::Evaluator]
		{
			Pallet::<T>::do_grant(&who, role, Some(organization), Default::default(), None)?;
		}
		for role in [Role::Auditor, Role::Regulator] {
			Pallet::<T>::do_grant(&who, role, None, Default::default(), None)?;
		}
		Pallet::<T>::do_grant(
			&who,
			Role::Reporter,
			Some(organization),
			Default::default(),
			Some(old_end),
		)?;
		#[extrinsic_call]
		_(
			RawOrigin::Signed(admin),
			who.clone(),
			Role::Reporter,
			widest_scope::<T>(),
			Some(new_end),
		);
		assert_eq!(
			Grants::<T>::get(&who, Role::Reporter).and_then(|g| g.expires_at),
			Some(new_end)
		);
		Ok(())
	}

	/// An admin revokes a member's last role, whose expiry sits last in a full queue.
	#[benchmark]
	fn revoke_role() -> Result<(), BenchmarkError> {
		let (admin, organization) = organization::<T>(0)?;
		let who: T::AccountId = account("grantee", 0, 0);
		let end = 100u32.into();
		queue_expiries::<T>(end, T::MaxExpiriesPerBlock::get() - 1);
		Pallet::<T>::do_grant(
			&who,
			Role::Reporter,
			Some(organization),
			widest_scope::<T>(),
			Some(end),
		)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), who.clone(), Role::Reporter);
		assert!(!Members::<T>::contains_key(organization, &who));
		Ok(())
	}

	#[benchmark]
	fn set_status() -> Result<(), BenchmarkError> {
		let (_, organization) = organization::<T>(0)?;
		let origin =
			T::CouncilOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		suspend_organization(origin as T::RuntimeOrigin, organization);
		assert!(!Pallet::<T>::has_live_grant(&account("owner", 0, 0)));
		Ok(())
	}

	/// `n` grants expire at one block, each its holder's last role in an organization.
	#[benchmark]
	fn expire(n: Linear<0, { T::MaxExpiriesPerBlock::get() }>) -> Result<(), BenchmarkError> {
		let end: BlockNumberFor<T> = 100u32.into();
		for i in 0..n {
			let (_, organization) = organization::<T>(i)?;
			let who: T::AccountId = account("grantee", i, 0);
			Pallet::<T>::do_grant(
				&who,
				Role::Reporter,
				Some(organization),
				Default::default(),
				Some(end),
			)?;
		}
		frame_system::Pallet::<T>::set_block_number(end);
		#[block]
		{
			Pallet::<T>::on_initialize(end);
		}
		assert!(!Expiries::<T>::contains_key(end));
		Ok(())
	}

	/// A region- and metric-scoped regulator asked about an audit: the auditor role is read
	/// and missed, the regulator's scope scanned to its last metric.
	#[benchmark]
	fn may() -> Result<(), BenchmarkError> {
		let who: T::AccountId = account("regulator", 0, 0);
		Pallet::<T>::do_grant(&who, Role::Regulator, None, widest_scope::<T>(), None)?;
		let target =
			Target::organization(0).metric(T::MaxScopedMetrics::get().saturating_sub(1)).region(DE);
		let allowed;
		#[block]
		{
			allowed = <Pallet<T> as Permissions<_>>::may(&who, Action::Audit, &target);
		}
		assert!(allowed);
		Ok(())
	}

	/// The gate on an account holding every role, none live (its organization suspended, its
	/// consortium roles expired): every grant is read.
	#[benchmark]
	fn check_grant() -> Result<(), BenchmarkError> {
		let (_, organization) = organization::<T>(0)?;
		let who: T::AccountId = account("member", 0, 0);
		for role in [
			Role::OrganizationAdmin,
			Role::Reporter,
			Role::DeviceManager,
			Role::ModelContributor,
			Role::Evaluator,
		] {
			Pallet::<T>::do_grant(&who, role, Some(organization), Default::default(), None)?;
		}
		let end = frame_system::Pallet::<T>::block_number() + 1u32.into();
		for role in [Role::Auditor, Role::Regulator] {
			Pallet::<T>::do_grant(&who, role, None, Default::default(), Some(end))?;
		}
		Pallet::<T>::set_status(organization, OrganizationStatus::Suspended)?;
		frame_system::Pallet::<T>::set_block_number(end);
		let call: <T as frame_system::Config>::RuntimeCall =
			frame_system::Call::<T>::remark { remark: Vec::new() }.into();
		let allowed;
		#[block]
		{
			allowed = CheckGrant::<T>::allows(&who, &call);
		}
		assert!(!allowed);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::build(), crate::mock::Test);
}
