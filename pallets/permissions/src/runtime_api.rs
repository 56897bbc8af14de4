//! The runtime API of permissions: who holds what, who belongs where, and who may do what.

use alloc::vec::Vec;
use codec::Codec;
use perfledger_primitives::{Action, OrganizationId, Target};

frame::runtime::apis::sp_api::decl_runtime_apis! {
	/// Who holds which roles and who may do what, for wallets, explorers and auditors.
	pub trait PermissionsApi<AccountId, GrantInfo, Role>
	where
		AccountId: Codec,
		GrantInfo: Codec,
		Role: Codec,
	{
		/// The account's live grants (unexpired, in an active organization), with their roles.
		fn grants_of(who: AccountId) -> Vec<GrantInfo>;
		/// The accounts holding live roles in the organization, with those roles.
		fn organization_members(organization: OrganizationId) -> Vec<(AccountId, Vec<Role>)>;
		/// Whether the account may take the action on the target now.
		fn may(who: AccountId, action: Action, target: Target) -> bool;
	}
}
