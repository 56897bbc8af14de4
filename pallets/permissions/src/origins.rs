//! Origins for the other pallets' calls: a signed account with a live grant.
//!
//! [`EnsureAction`] asks for a role that permits an action (what a pallet usually means);
//! [`EnsureRole`] for one role exactly. Neither looks at the grant's scope: the pallet then asks
//! [`perfledger_primitives::Permissions::may`] about the exact target.

use crate::{Config, Grants, Pallet, Role};
use core::marker::PhantomData;
use frame::prelude::*;
use perfledger_primitives::Action;

/// The signer of `origin`, if it holds a live grant of one of `roles`.
fn signer_holding<T: Config>(
	origin: T::RuntimeOrigin,
	mut roles: impl Iterator<Item = Role>,
) -> Result<T::AccountId, T::RuntimeOrigin> {
	let who = match origin.clone().into() {
		Ok(frame_system::RawOrigin::Signed(who)) => who,
		_ => return Err(origin),
	};
	let now = frame_system::Pallet::<T>::block_number();
	let holds = roles.any(|role| {
		Grants::<T>::get(&who, role).is_some_and(|grant| Pallet::<T>::holds(&grant, &now))
	});
	if holds {
		Ok(who)
	} else {
		Err(origin)
	}
}

/// A signed origin whose account holds a live grant of a role that permits action `A`.
/// Succeeds with the account.
pub struct EnsureAction<T, A>(PhantomData<(T, A)>);

impl<T: Config, A: Get<Action>> EnsureOrigin<T::RuntimeOrigin> for EnsureAction<T, A> {
	type Success = T::AccountId;

	fn try_origin(origin: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		signer_holding::<T>(origin, Role::ALL.into_iter().filter(|role| role.permits(A::get())))
	}

	/// An account granted the first role that permits `A`.
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		let role = Role::ALL.into_iter().find(|role| role.permits(A::get())).ok_or(())?;
		successful_origin::<T>(role)
	}
}

/// A signed origin whose account holds a live grant of role `R`. Succeeds with the account.
pub struct EnsureRole<T, R>(PhantomData<(T, R)>);

impl<T: Config, R: Get<Role>> EnsureOrigin<T::RuntimeOrigin> for EnsureRole<T, R> {
	type Success = T::AccountId;

	fn try_origin(origin: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		signer_holding::<T>(origin, core::iter::once(R::get()))
	}

	/// An account granted `R`.
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		successful_origin::<T>(R::get())
	}
}

/// A signed origin of a new account granted `role` (in a new organization for an organization
/// role), for benchmarks.
#[cfg(feature = "runtime-benchmarks")]
fn successful_origin<T: Config>(role: Role) -> Result<T::RuntimeOrigin, ()> {
	let who = crate::benchmarking::holder::<T>(role, 0).map_err(|_| ())?;
	Ok(frame_system::RawOrigin::Signed(who).into())
}
