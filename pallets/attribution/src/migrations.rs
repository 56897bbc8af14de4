//! Storage migrations of attribution.

use super::*;
use frame::deps::frame_support::{
	migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade,
};

/// Version 1: the pallet joins a chain that is already running. Genesis gives the pallet's
/// account its existential deposit ([`Pallet::account_id`]); on a running chain this does, once.
/// Nothing else is stored before version 1.
pub mod v1 {
	use super::*;

	/// The migration without its version checks: use [`AddPallet`].
	pub struct EndowAccount<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for EndowAccount<T> {
		fn on_runtime_upgrade() -> Weight {
			Pallet::<T>::endow_account();
			T::DbWeight::get().reads_writes(2, 2)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: Vec<u8>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			ensure!(
				T::Currency::balance(&Pallet::<T>::account_id()) >= T::Currency::minimum_balance(),
				"the pallet's account has no existential deposit"
			);
			Ok(())
		}
	}

	/// From version 0 (the pallet absent) to 1, once.
	pub type AddPallet<T> =
		VersionedMigration<0, 1, EndowAccount<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
