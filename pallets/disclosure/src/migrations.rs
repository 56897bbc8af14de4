//! Storage migrations of disclosure.

use super::*;
use frame::deps::frame_support::{
	migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade,
};

/// Version 2: a request keeps the organization its requester acted for when it asked.
///
/// In version 1 the approval of sensitive data judged independence from the requester's
/// organization at approval time: a requester could ask while acting for one organization and
/// have that organization approve after moving to another. Requests made before the upgrade
/// take the organization their requester acts for at the upgrade.
pub mod v2 {
	use super::*;

	/// The requests of version 1.
	pub mod v1 {
		use super::*;

		/// A version 1 request.
		#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
		pub struct Request<AccountId, Fields, BlockNumber> {
			pub commitment: CommitmentId,
			pub requester: AccountId,
			pub fields: Fields,
			pub status: RequestStatus<BlockNumber>,
			pub requested_at: BlockNumber,
		}

		/// A version 1 request as stored.
		pub type RequestOf<T> =
			Request<<T as frame_system::Config>::AccountId, FieldsOf<T>, BlockNumberFor<T>>;
	}

	/// The migration without its version checks: use [`MigrateV1ToV2`].
	pub struct KeepRequestersOrganization<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for KeepRequestersOrganization<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut requests = 0u64;
			Requests::<T>::translate::<v1::RequestOf<T>, _>(|_, old| {
				requests += 1;
				Some(Request {
					requester_organization: T::Permissions::organization_of(&old.requester),
					commitment: old.commitment,
					requester: old.requester,
					fields: old.fields,
					status: old.status,
					requested_at: old.requested_at,
				})
			});
			T::DbWeight::get()
				.reads_writes(requests, requests)
				.saturating_add(T::Permissions::may_weight().saturating_mul(requests))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::deps::sp_runtime::TryRuntimeError> {
			let count = Requests::<T>::iter_keys().count() as u64;
			Ok(count.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state")?;
			ensure!(Requests::<T>::iter().count() as u64 == before, "requests were lost");
			Ok(())
		}
	}

	/// Migrates disclosure's storage from version 1 to 2 (once; a no-op at any other version).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		KeepRequestersOrganization<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
