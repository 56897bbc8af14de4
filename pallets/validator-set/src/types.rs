//! Types of the validator-set pallet.

use frame::prelude::*;

/// The validators, in the order they were added.
pub type ValidatorList<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as crate::Config>::MaxValidators>;
