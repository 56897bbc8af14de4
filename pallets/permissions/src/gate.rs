//! The gate: a transaction extension that refuses, at the transaction pool and again in any
//! block, every signed transaction from an account that may not transact.
//!
//! An account may transact if it holds a live grant, or is privileged (council members and
//! validators, [`Config::Privileged`]), or submits one of the calls an outsider needs
//! ([`Config::OpenCalls`]). Anything else is invalid with `InvalidTransaction::BadSigner`
//! ("Invalid signing address"), before any fee is charged or block space used. Unsigned
//! transactions and inherents pass: their own checks apply.
//!
//! The extension carries no data, explicit or implicit, so that wallets that do not know it
//! (polkadot.js among them) sign transactions without any configuration.

use crate::{Config, Pallet, WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame::{
	deps::sp_runtime::{
		traits::{AsSystemOriginSigner, DispatchInfoOf, Dispatchable},
		transaction_validity::{TransactionSource, TransactionValidityError},
	},
	prelude::*,
	traits::{TransactionExtension, ValidateResult},
	transaction::{impl_tx_ext_default, InvalidTransaction, ValidTransaction},
};
use scale_info::TypeInfo;

/// Refuses signed transactions from accounts that may not transact. See the [module](self).
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckGrant<T>(PhantomData<T>);

impl<T> CheckGrant<T> {
	/// The extension, as a transaction carries it.
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> core::fmt::Debug for CheckGrant<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckGrant")
	}
}

impl<T: Config> CheckGrant<T> {
	/// Whether `who` may submit `call`.
	pub fn allows(who: &T::AccountId, call: &<T as frame_system::Config>::RuntimeCall) -> bool {
		T::Privileged::contains(who)
			|| T::OpenCalls::contains(call)
			|| Pallet::<T>::has_live_grant(who)
	}
}

impl<T: Config + Send + Sync> TransactionExtension<<T as frame_system::Config>::RuntimeCall>
	for CheckGrant<T>
where
	<T as frame_system::Config>::RuntimeCall: Dispatchable<RuntimeOrigin = T::RuntimeOrigin>,
	<T as frame_system::Config>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckGrant";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, _: &<T as frame_system::Config>::RuntimeCall) -> Weight {
		T::WeightInfo::check_grant()
	}

	fn validate(
		&self,
		origin: <T as frame_system::Config>::RuntimeOrigin,
		call: &<T as frame_system::Config>::RuntimeCall,
		_info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, <T as frame_system::Config>::RuntimeCall> {
		if let Some(who) = origin.as_system_origin_signer() {
			if !Self::allows(who, call) {
				return Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner));
			}
		}
		Ok((ValidTransaction::default(), (), origin))
	}

	impl_tx_ext_default!(<T as frame_system::Config>::RuntimeCall; prepare);
}
