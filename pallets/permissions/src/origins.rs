//! Origins for the other pallets' calls: a signed account allowed an action by a live grant.

use crate::{Config, Grants, Pallet, Role};
use core::marker::PhantomData;
use frame::prelude::*;
use perfledger_primitives::Action;

/// A signed origin whose account holds a live grant of a role that permits action `A` (in any
/// scope: the pallet then asks [`perfledger_primitives::Permissions::may`] about the exact
/// target). Succeeds with the account.
pub struct EnsureAction<T, A>(PhantomData<(T, A)>);

impl<T: Config, A: Get<Action>> EnsureOrigin<T::RuntimeOrigin> for EnsureAction<T, A> {
	type Success = T::AccountId;

	fn try_origin(origin: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		let who = match origin.clone().into() {
			Ok(frame_system::RawOrigin::Signed(who)) => who,
			_ => return Err(origin),
		};
		let now = frame_system::Pallet::<T>::block_number();
		let permitted = Role::ALL.iter().filter(|role| role.permits(A::get())).any(|role| {
			Grants::<T>::get(&who, role).is_some_and(|grant| Pallet::<T>::holds(&grant, &now))
		});
		if permitted {
			Ok(who)
		} else {
			Err(origin)
		}
	}

	/// An account granted the first role that permits `A`, in a new organization for an
	/// organization role.
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		let role = *Role::ALL.iter().find(|role| role.permits(A::get())).ok_or(())?;
		let who = crate::benchmarking::holder::<T>(role, 0).map_err(|_| ())?;
		Ok(frame_system::RawOrigin::Signed(who).into())
	}
}
