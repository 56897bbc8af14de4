//! # Permissions
//!
//! Least privilege across the consortium's organizations: who may write which data, who may
//! read what is disclosed, and nobody else may transact at all.
//!
//! - **Organizations** are created when the consortium admits a member (the governance pallet
//!   calls [`perfledger_primitives::OrganizationLifecycle`], which this pallet implements), with
//!   the member's account as owner and first admin, a region and a status. The council
//!   suspends ([`Pallet::suspend_organization`]) and reinstates
//!   ([`Pallet::reinstate_organization`]) an organization; a member that leaves the consortium
//!   has its organization suspended. A suspended organization's grants do not hold: the check
//!   reads the organization's status, so suspension is one write, whatever the grants under it.
//! - **Roles** ([`Role`]): organization admin, reporter, device manager (granted by an
//!   organization's admins to accounts of their own organization, [`Pallet::grant_role`]) and
//!   auditor, regulator (granted by council motion, [`Pallet::grant_consortium_role`]).
//! - **Grants** may be scoped to metrics and a region ([`Scope`]) and may expire at a block: at
//!   the start of that block the grant no longer holds, and the block's `on_initialize` removes
//!   it with a [`Event::RoleExpired`]. Revocation ([`Pallet::revoke_role`], by the
//!   organization's admins or the council) removes one storage entry; re-granting works at once.
//! - **For the other pallets**: [`perfledger_primitives::Permissions`] (`may(who, action,
//!   target)`, `has_role`, `organization_of`, `is_active`), which the runtime wires; which
//!   roles permit which actions is one table, [`policy`].
//! - **The gate**: the transaction extension [`CheckGrant`] refuses, at the transaction pool,
//!   every signed transaction from an account with no live grant that is not privileged
//!   ([`Config::Privileged`]: the council's members), unless the call is one an outsider needs
//!   to join or anyone may make ([`Config::OpenCalls`]).
//! - **Audit trail**: every grant, revocation, renunciation, expiry, suspension and
//!   reinstatement is an event; the runtime API [`runtime_api::PermissionsApi`] lists an
//!   account's live grants and an organization's members.
//!
//! ## Terminology
//! - **Organization**: a consortium member's company, created at its admission; its **owner**
//!   is the member's account, its first admin for as long as it exists.
//! - **Role**: what an account is for ([`Role`]); an **action** ([`Action`]) is what a pallet
//!   asks about; which roles permit which actions is decided here.
//! - **Grant**: one role held by one account, in one organization (or none, for auditors and
//!   regulators), within a **scope** (metrics, region), until an optional expiry block. A grant
//!   **holds** (is live) while unexpired and its organization active.
//! - **Member** (of an organization): an account holding a grant in it; not to be confused with
//!   a member of the consortium (an organization admitted by the council).
//! - **Applicant**: an account applying to the consortium to found an organization; no
//!   organization grants it a role meanwhile.
//! - **Gate**: the transaction extension that keeps accounts with no live grant off the chain.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod gate;
#[cfg(test)]
mod mock;
pub mod policy;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame::prelude::*;
pub use gate::CheckGrant;
pub use pallet::*;
use perfledger_primitives::{
	Action, IdSequence, OrganizationId, OrganizationLifecycle, Permissions, Region, Target,
};
pub use types::*;
pub use weights::WeightInfo;

/// A live grant with its role, as the runtime API lists it.
pub type GrantInfoOf<T> = GrantInfo<MetricsOf<T>, BlockNumberFor<T>>;

#[frame::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Who grants consortium roles, suspends and reinstates organizations, and may revoke
		/// any grant: a council majority.
		type CouncilOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Accounts the gate lets transact without a grant: the council's members.
		type Privileged: Contains<Self::AccountId>;

		/// Calls the gate lets any account submit: those by which an outsider joins (applying
		/// to the consortium, a candidate validator's session keys) or which anyone may make
		/// (applying a runtime upgrade the council authorized).
		type OpenCalls: Contains<<Self as frame_system::Config>::RuntimeCall>;

		/// Accounts applying to found an organization: no organization grants them a role while
		/// they apply (an unsolicited grant would keep them out of their own).
		type Applicants: Contains<Self::AccountId>;

		/// The longest organization name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;

		/// The most metrics a grant can be scoped to.
		#[pallet::constant]
		type MaxScopedMetrics: Get<u32>;

		/// The most accounts holding roles in one organization.
		#[pallet::constant]
		type MaxMembers: Get<u32>;

		/// The most grants that can expire at one block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;

		/// Weights of this pallet's calls, hooks and checks.
		type WeightInfo: WeightInfo;
	}

	/// The id the next organization gets.
	#[pallet::storage]
	pub type NextOrganizationId<T: Config> = StorageValue<_, OrganizationId, ValueQuery>;

	/// The organizations, by id.
	#[pallet::storage]
	pub type Organizations<T: Config> =
		StorageMap<_, Twox64Concat, OrganizationId, OrganizationOf<T>>;

	/// The organization each consortium member owns, by the member's account.
	#[pallet::storage]
	pub type OwnedOrganization<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OrganizationId>;

	/// Every grant, by account and role. A grant holds while it has not expired and, for an
	/// organization role, while its organization is active.
	#[pallet::storage]
	pub type Grants<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, Role, GrantOf<T>>;

	/// The accounts holding roles in each organization, with how many roles each holds.
	#[pallet::storage]
	pub type Members<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		OrganizationId,
		Blake2_128Concat,
		T::AccountId,
		u32,
		ValueQuery,
	>;

	/// The grants that expire at each block, removed by that block's `on_initialize`.
	#[pallet::storage]
	pub type Expiries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<(T::AccountId, Role), T::MaxExpiriesPerBlock>,
		ValueQuery,
	>;

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Organizations at genesis; each owner becomes the organization's first admin. The
		/// consortium's founding members must own the organizations their genesis names.
		pub organizations: Vec<GenesisOrganization<T::AccountId>>,
		/// Further grants at genesis (unscoped, without expiry).
		pub grants: Vec<GenesisGrant<T::AccountId>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut next = NextOrganizationId::<T>::get();
			for org in &self.organizations {
				let region = Region::new(
					org.region.as_bytes().try_into().expect("a region is two ASCII letters"),
				)
				.expect("a region is two upper-case letters (ISO 3166-1 alpha-2)");
				assert!(
					!Organizations::<T>::contains_key(org.id),
					"organization {} appears twice",
					org.id
				);
				Pallet::<T>::create(org.id, &org.owner, org.name.as_bytes(), region)
					.expect("a genesis organization is valid");
				next = next.max(org.id + 1);
			}
			NextOrganizationId::<T>::put(next);
			for grant in &self.grants {
				assert_eq!(
					policy::is_consortium_role(grant.role),
					grant.organization.is_none(),
					"auditors and regulators belong to no organization; other roles to one"
				);
				Pallet::<T>::do_grant(
					&grant.who,
					grant.role,
					grant.organization,
					Default::default(),
					None,
				)
				.expect("a genesis grant is valid");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An organization was created for an admitted consortium member, its owner and first
		/// admin.
		OrganizationCreated { organization: OrganizationId, owner: T::AccountId, region: Region },
		/// The council suspended an organization (or its member left the consortium): none of
		/// its grants hold.
		OrganizationSuspended { organization: OrganizationId },
		/// An organization is active again: its grants hold again.
		OrganizationReinstated { organization: OrganizationId },
		/// `who` was granted `role` (in `organization`, or consortium-wide for `None`), until
		/// `expires_at` if set. A grant replaces the same role's earlier grant.
		RoleGranted {
			who: T::AccountId,
			role: Role,
			organization: Option<OrganizationId>,
			expires_at: Option<BlockNumberFor<T>>,
		},
		/// `who`'s `role` was revoked.
		RoleRevoked { who: T::AccountId, role: Role },
		/// `who` gave up its `role`.
		RoleRenounced { who: T::AccountId, role: Role },
		/// `who`'s `role` expired.
		RoleExpired { who: T::AccountId, role: Role },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a live admin of an organization (or not of the grant's one).
		NotAdmin,
		/// The organization is suspended: its admins cannot act until it is reinstated.
		OrganizationSuspended,
		/// No organization has this id.
		UnknownOrganization,
		/// The account does not hold this role.
		NoSuchGrant,
		/// Auditor and regulator roles are granted by council motion
		/// (`grant_consortium_role`), not by an organization.
		RoleNeedsCouncil,
		/// Only auditor and regulator are consortium roles; other roles are granted by an
		/// organization's admins.
		NotAConsortiumRole,
		/// The account holds roles in another organization; an account acts for one only.
		InOtherOrganization,
		/// The account is applying to found its own organization: no other grants it a role.
		Applicant,
		/// The expiry block is not after the current block.
		ExpiryNotInFuture,
		/// As many grants as allowed already expire at that block: choose another.
		TooManyExpiries,
		/// The organization has as many members as allowed.
		TooManyMembers,
		/// The scope's region is not two upper-case letters (ISO 3166-1 alpha-2).
		InvalidRegion,
		/// The organization is already suspended.
		AlreadySuspended,
		/// The organization is not suspended.
		NotSuspended,
		/// The owner's admin role lasts as long as the organization: it cannot be revoked,
		/// renounced or replaced.
		OwnerAdminGrant,
		/// An admin whose own grant expires grants nothing that outlives it, and does not
		/// re-grant its own admin role.
		OutlivesAdmin,
		/// The organization name is empty or longer than `MaxNameLength`.
		BadName,
		/// No organization ids are left.
		TooManyOrganizations,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let due = Expiries::<T>::take(now);
			let count = due.len() as u32;
			for (who, role) in due {
				// A grant replaced since it was queued has its own expiry.
				match Grants::<T>::get(&who, role) {
					Some(grant) if grant.expires_at == Some(now) => {
						Self::remove_grant(&who, role, &grant);
						Self::deposit_event(Event::RoleExpired { who, role });
					}
					_ => {}
				}
			}
			T::WeightInfo::expire(count)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Grants `role` to `who` in the caller's organization, limited to `scope`, until
		/// `expires_at` (the first block at which it no longer holds) if set. Replaces an
		/// earlier grant of the same role to `who`.
		///
		/// The caller must be a live, unscoped admin of an active organization; `who` must hold
		/// no role in another organization, nor be applying to found its own. An admin whose own grant expires grants nothing that
		/// outlives it (no grant without expiry, none expiring later), and may not re-grant its
		/// own admin role; nobody replaces the owner's admin grant, which lasts as long as the
		/// organization.
		///
		/// ## Errors
		/// - `RoleNeedsCouncil`, `NotAdmin`, `OrganizationSuspended`, `OwnerAdminGrant`,
		///   `OutlivesAdmin`, `Applicant`, `InOtherOrganization`, `InvalidRegion`,
		///   `ExpiryNotInFuture`, `TooManyExpiries`, `TooManyMembers`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::grant_role())]
		pub fn grant_role(
			origin: OriginFor<T>,
			who: T::AccountId,
			role: Role,
			scope: ScopeOf<T>,
			expires_at: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			let organization = Self::administered(&admin)?;
			ensure!(!policy::is_consortium_role(role), Error::<T>::RoleNeedsCouncil);
			ensure!(!T::Applicants::contains(&who), Error::<T>::Applicant);
			if let Some(previous) = Grants::<T>::get(&who, role) {
				ensure!(!Self::is_owner_admin(&who, role, &previous), Error::<T>::OwnerAdminGrant);
			}
			let own =
				Grants::<T>::get(&admin, Role::OrganizationAdmin).ok_or(Error::<T>::NotAdmin)?;
			if let Some(own_end) = own.expires_at {
				ensure!(
					expires_at.is_some_and(|end| end <= own_end)
						&& !(who == admin && role == Role::OrganizationAdmin),
					Error::<T>::OutlivesAdmin
				);
			}
			Self::do_grant(&who, role, Some(organization), scope, expires_at)
		}

		/// Revokes `who`'s `role` at once.
		///
		/// The origin is the council (`CouncilOrigin`), for any grant, or a live admin of the
		/// grant's organization.
		///
		/// ## Errors
		/// - `NoSuchGrant`, `NotAdmin`, `OrganizationSuspended`, `OwnerAdminGrant`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::revoke_role())]
		pub fn revoke_role(origin: OriginFor<T>, who: T::AccountId, role: Role) -> DispatchResult {
			let grant = Grants::<T>::get(&who, role).ok_or(Error::<T>::NoSuchGrant)?;
			if T::CouncilOrigin::try_origin(origin.clone()).is_err() {
				let admin = ensure_signed(origin)?;
				let organization = Self::administered(&admin)?;
				ensure!(grant.organization == Some(organization), Error::<T>::NotAdmin);
			}
			ensure!(!Self::is_owner_admin(&who, role, &grant), Error::<T>::OwnerAdminGrant);
			Self::remove_grant(&who, role, &grant);
			Self::deposit_event(Event::RoleRevoked { who, role });
			Ok(())
		}

		/// Grants a consortium role (auditor or regulator) to `who`, limited to `scope`, until
		/// `expires_at` if set.
		///
		/// The origin must be `CouncilOrigin` (a council motion).
		///
		/// ## Errors
		/// - `NotAConsortiumRole`, `InvalidRegion`, `ExpiryNotInFuture`, `TooManyExpiries`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::grant_role())]
		pub fn grant_consortium_role(
			origin: OriginFor<T>,
			who: T::AccountId,
			role: Role,
			scope: ScopeOf<T>,
			expires_at: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			ensure!(policy::is_consortium_role(role), Error::<T>::NotAConsortiumRole);
			Self::do_grant(&who, role, None, scope, expires_at)
		}

		/// Suspends an organization: none of its grants hold, its admins included, until it is
		/// reinstated. One write, however many grants it has.
		///
		/// The origin must be `CouncilOrigin` (a council motion).
		///
		/// ## Errors
		/// - `UnknownOrganization`, `AlreadySuspended`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_status())]
		pub fn suspend_organization(
			origin: OriginFor<T>,
			organization: OrganizationId,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::set_status(organization, OrganizationStatus::Suspended)
		}

		/// Reinstates a suspended organization: its grants hold again (those that have not
		/// expired meanwhile).
		///
		/// The origin must be `CouncilOrigin` (a council motion).
		///
		/// ## Errors
		/// - `UnknownOrganization`, `NotSuspended`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_status())]
		pub fn reinstate_organization(
			origin: OriginFor<T>,
			organization: OrganizationId,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::set_status(organization, OrganizationStatus::Active)
		}

		/// Gives up one of the caller's own roles.
		///
		/// ## Errors
		/// - `NoSuchGrant`, `OwnerAdminGrant`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::revoke_role())]
		pub fn renounce_role(origin: OriginFor<T>, role: Role) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let grant = Grants::<T>::get(&who, role).ok_or(Error::<T>::NoSuchGrant)?;
			ensure!(!Self::is_owner_admin(&who, role, &grant), Error::<T>::OwnerAdminGrant);
			Self::remove_grant(&who, role, &grant);
			Self::deposit_event(Event::RoleRenounced { who, role });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Whether `grant` holds at block `now`: unexpired and, for an organization role, its
	/// organization active.
	pub fn holds(grant: &GrantOf<T>, now: &BlockNumberFor<T>) -> bool {
		grant.unexpired(now)
			&& grant.organization.map_or(true, |o| {
				Organizations::<T>::get(o)
					.is_some_and(|org| org.status == OrganizationStatus::Active)
			})
	}

	/// Whether `grant` holds at `now` and covers `target`: an organization role only its own
	/// organization, a consortium role any; the scope's metrics and region.
	fn permits(grant: &GrantOf<T>, target: &Target, now: &BlockNumberFor<T>) -> bool {
		let organization_ok = grant.organization.map_or(true, |o| target.organization == Some(o));
		organization_ok && grant.scope.covers(target) && Self::holds(grant, now)
	}

	/// `who`'s live grants, with their roles.
	pub fn live_grants(who: &T::AccountId) -> Vec<GrantInfoOf<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		Grants::<T>::iter_prefix(who)
			.filter(|(_, grant)| Self::holds(grant, &now))
			.map(|(role, grant)| GrantInfo { role, grant })
			.collect()
	}

	/// Whether `who` holds any live grant: what the gate asks of a non-privileged account.
	pub fn has_live_grant(who: &T::AccountId) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		Grants::<T>::iter_prefix_values(who).any(|grant| Self::holds(&grant, &now))
	}

	/// The accounts holding live roles in `organization`, with those roles.
	pub fn live_members(organization: OrganizationId) -> Vec<(T::AccountId, Vec<Role>)> {
		Members::<T>::iter_key_prefix(organization)
			.filter_map(|who| {
				let roles: Vec<Role> = Self::live_grants(&who)
					.into_iter()
					.filter(|g| g.grant.organization == Some(organization))
					.map(|g| g.role)
					.collect();
				(!roles.is_empty()).then_some((who, roles))
			})
			.collect()
	}

	/// The active organization `admin` administers: it holds a live admin grant of it, not
	/// limited to some metrics or a region (a scoped admin administers no grants).
	fn administered(admin: &T::AccountId) -> Result<OrganizationId, DispatchError> {
		let grant = Grants::<T>::get(admin, Role::OrganizationAdmin).ok_or(Error::<T>::NotAdmin)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(grant.unexpired(&now), Error::<T>::NotAdmin);
		ensure!(
			grant.scope.metrics.is_empty() && grant.scope.region.is_none(),
			Error::<T>::NotAdmin
		);
		let organization = grant.organization.ok_or(Error::<T>::NotAdmin)?;
		let org = Organizations::<T>::get(organization).ok_or(Error::<T>::UnknownOrganization)?;
		ensure!(org.status == OrganizationStatus::Active, Error::<T>::OrganizationSuspended);
		Ok(organization)
	}

	/// Whether this is the owner's admin grant, which lasts as long as the organization.
	fn is_owner_admin(who: &T::AccountId, role: Role, grant: &GrantOf<T>) -> bool {
		role == Role::OrganizationAdmin
			&& grant.organization.is_some()
			&& OwnedOrganization::<T>::get(who) == grant.organization
	}

	/// Creates organization `id`, owned by `owner`, its first admin.
	fn create(
		id: OrganizationId,
		owner: &T::AccountId,
		name: &[u8],
		region: Region,
	) -> Result<(), DispatchError> {
		ensure!(region.is_valid(), Error::<T>::InvalidRegion);
		let name: BoundedVec<u8, T::MaxNameLength> =
			name.to_vec().try_into().map_err(|_| Error::<T>::BadName)?;
		ensure!(!name.is_empty(), Error::<T>::BadName);
		ensure!(
			Grants::<T>::iter_prefix_values(owner).all(|g| g.organization.is_none()),
			Error::<T>::InOtherOrganization
		);
		Organizations::<T>::insert(
			id,
			Organization {
				name,
				owner: owner.clone(),
				region,
				status: OrganizationStatus::Active,
				members: 0,
				created_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		OwnedOrganization::<T>::insert(owner, id);
		Self::deposit_event(Event::OrganizationCreated {
			organization: id,
			owner: owner.clone(),
			region,
		});
		Self::do_grant(owner, Role::OrganizationAdmin, Some(id), Default::default(), None)
	}

	/// Grants `role` to `who`, replacing an earlier grant of the same role. Checks everything
	/// before it writes.
	fn do_grant(
		who: &T::AccountId,
		role: Role,
		organization: Option<OrganizationId>,
		scope: ScopeOf<T>,
		expires_at: Option<BlockNumberFor<T>>,
	) -> DispatchResult {
		ensure!(scope.region.map_or(true, |r| r.is_valid()), Error::<T>::InvalidRegion);
		let now = frame_system::Pallet::<T>::block_number();
		if let Some(end) = expires_at {
			ensure!(end > now, Error::<T>::ExpiryNotInFuture);
		}
		if let Some(organization) = organization {
			ensure!(
				Organizations::<T>::contains_key(organization),
				Error::<T>::UnknownOrganization
			);
			ensure!(
				Grants::<T>::iter_prefix_values(who)
					.all(|g| g.organization.map_or(true, |o| o == organization)),
				Error::<T>::InOtherOrganization
			);
		}
		let previous = Grants::<T>::get(who, role);
		let queue_at =
			expires_at.filter(|end| !previous.as_ref().is_some_and(|p| p.expires_at == Some(*end)));
		if let Some(end) = queue_at {
			let queued = Expiries::<T>::decode_len(end).unwrap_or(0);
			ensure!(queued < T::MaxExpiriesPerBlock::get() as usize, Error::<T>::TooManyExpiries);
		}
		// The last check (`TooManyMembers`, `UnknownOrganization`) is `join`'s, before its
		// writes; nothing below can fail.
		if let (None, Some(organization)) = (&previous, organization) {
			Self::join(who, organization)?;
		}
		if let Some(end) = queue_at {
			Expiries::<T>::mutate(end, |queue| {
				let pushed = queue.try_push((who.clone(), role));
				debug_assert!(pushed.is_ok(), "room checked above");
			});
		}
		match &previous {
			Some(p) if p.expires_at != expires_at => Self::forget_expiry(who, role, p),
			_ => {}
		}
		Grants::<T>::insert(who, role, Grant { organization, scope, expires_at, granted_at: now });
		Self::deposit_event(Event::RoleGranted {
			who: who.clone(),
			role,
			organization,
			expires_at,
		});
		Ok(())
	}

	/// Counts one more role of `who` in `organization`.
	fn join(who: &T::AccountId, organization: OrganizationId) -> DispatchResult {
		let roles = Members::<T>::get(organization, who);
		if roles == 0 {
			Organizations::<T>::try_mutate(organization, |org| {
				let org = org.as_mut().ok_or(Error::<T>::UnknownOrganization)?;
				ensure!(org.members < T::MaxMembers::get(), Error::<T>::TooManyMembers);
				org.members += 1;
				Ok::<_, DispatchError>(())
			})?;
		}
		Members::<T>::insert(organization, who, roles + 1);
		Ok(())
	}

	/// Removes a grant, its expiry and, with its last role, `who`'s membership.
	fn remove_grant(who: &T::AccountId, role: Role, grant: &GrantOf<T>) {
		Grants::<T>::remove(who, role);
		Self::forget_expiry(who, role, grant);
		let Some(organization) = grant.organization else { return };
		let roles = Members::<T>::get(organization, who).saturating_sub(1);
		if roles == 0 {
			Members::<T>::remove(organization, who);
			Organizations::<T>::mutate(organization, |org| {
				if let Some(org) = org {
					org.members = org.members.saturating_sub(1);
				}
			});
		} else {
			Members::<T>::insert(organization, who, roles);
		}
	}

	/// Takes a grant out of its expiry block's queue.
	fn forget_expiry(who: &T::AccountId, role: Role, grant: &GrantOf<T>) {
		let Some(end) = grant.expires_at else { return };
		Expiries::<T>::mutate_exists(end, |queue| {
			if let Some(q) = queue {
				q.retain(|(w, r)| !(w == who && *r == role));
				if q.is_empty() {
					*queue = None;
				}
			}
		});
	}

	/// Sets an organization's status, refusing a status it already has.
	fn set_status(organization: OrganizationId, status: OrganizationStatus) -> DispatchResult {
		Organizations::<T>::try_mutate(organization, |org| {
			let org = org.as_mut().ok_or(Error::<T>::UnknownOrganization)?;
			ensure!(
				org.status != status,
				match status {
					OrganizationStatus::Suspended => Error::<T>::AlreadySuspended,
					OrganizationStatus::Active => Error::<T>::NotSuspended,
				}
			);
			org.status = status;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(match status {
			OrganizationStatus::Suspended => Event::OrganizationSuspended { organization },
			OrganizationStatus::Active => Event::OrganizationReinstated { organization },
		});
		Ok(())
	}

	/// Invariants: member counts match the grants, every organization has its owner as admin,
	/// every queued expiry is a grant's.
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		for (id, org) in Organizations::<T>::iter() {
			ensure!(
				OwnedOrganization::<T>::get(&org.owner) == Some(id),
				"an organization's owner does not own it"
			);
			ensure!(
				Grants::<T>::get(&org.owner, Role::OrganizationAdmin)
					.is_some_and(|g| g.organization == Some(id)),
				"an organization's owner is not its admin"
			);
			let members = Members::<T>::iter_prefix(id).count() as u32;
			ensure!(members == org.members, "organization member count is off");
			ensure!(members <= T::MaxMembers::get(), "more members than MaxMembers");
			ensure!(id < NextOrganizationId::<T>::get(), "organization id not below the next");
		}
		for (organization, who, roles) in Members::<T>::iter() {
			let held = Grants::<T>::iter_prefix_values(&who)
				.filter(|g| g.organization == Some(organization))
				.count() as u32;
			ensure!(held == roles, "member role count is off");
		}
		for (end, queue) in Expiries::<T>::iter() {
			for (who, role) in queue {
				ensure!(
					Grants::<T>::get(&who, role).is_some_and(|g| g.expires_at == Some(end)),
					"a queued expiry has no grant"
				);
			}
		}
		Ok(())
	}
}

impl<T: Config> OrganizationLifecycle<T::AccountId> for Pallet<T> {
	/// Creates the admitted member's organization, or reinstates the one it owned before.
	fn on_admitted(
		admin: &T::AccountId,
		name: &[u8],
		region: Region,
	) -> Result<OrganizationId, DispatchError> {
		if let Some(id) = OwnedOrganization::<T>::get(admin) {
			if Organizations::<T>::get(id).is_some_and(|o| o.status != OrganizationStatus::Active) {
				Self::set_status(id, OrganizationStatus::Active)?;
			}
			return Ok(id);
		}
		// A refused admission writes nothing, the id included.
		frame::deps::frame_support::storage::with_storage_layer(|| {
			let id = NextOrganizationId::<T>::allocate().ok_or(Error::<T>::TooManyOrganizations)?;
			Self::create(id, admin, name, region)?;
			Ok(id)
		})
	}

	/// Whether `admin` holds no grant in an organization it does not own.
	fn may_found(admin: &T::AccountId) -> bool {
		let owned = OwnedOrganization::<T>::get(admin);
		Grants::<T>::iter_prefix_values(admin)
			.all(|g| g.organization.map_or(true, |o| Some(o) == owned))
	}

	/// Suspends the organization the leaving member owns.
	fn on_removed(admin: &T::AccountId) -> DispatchResult {
		let id = OwnedOrganization::<T>::get(admin).ok_or(Error::<T>::UnknownOrganization)?;
		match Organizations::<T>::get(id) {
			Some(org) if org.status == OrganizationStatus::Active => {
				Self::set_status(id, OrganizationStatus::Suspended)
			}
			_ => Ok(()),
		}
	}
}

impl<T: Config> Permissions<T::AccountId> for Pallet<T> {
	fn may(who: &T::AccountId, action: Action, target: &Target) -> bool {
		Role::ALL
			.into_iter()
			.filter(|role| policy::permits(*role, action))
			.any(|role| Self::has_role(who, role, target))
	}

	fn has_role(who: &T::AccountId, role: Role, target: &Target) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		Grants::<T>::get(who, role).is_some_and(|grant| Self::permits(&grant, target, &now))
	}

	fn organization_of(who: &T::AccountId) -> Option<OrganizationId> {
		Self::live_grants(who).into_iter().find_map(|g| g.grant.organization)
	}

	fn is_active(organization: OrganizationId) -> bool {
		Organizations::<T>::get(organization)
			.is_some_and(|org| org.status == OrganizationStatus::Active)
	}

	fn may_weight() -> Weight {
		T::WeightInfo::may()
	}
}
