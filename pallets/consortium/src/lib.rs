//! # Consortium governance
//!
//! A consortium chain has no owner key: every decision that shapes the network is a motion of
//! the council, passing with the majority its origin names. This pallet holds the decisions
//! that are the consortium's own:
//!
//! - **Membership.** An organization applies with a deposit ([`Pallet::apply`]); the council
//!   admits it ([`Pallet::admit`], deposit returned, a council seat and an organization in the
//!   permissions pallet created) or rejects it ([`Pallet::reject`], deposit returned or
//!   slashed). A member leaves ([`Pallet::leave`]) or is removed by motion
//!   ([`Pallet::remove_member`]); the council never shrinks below [`Config::MinCouncilSize`].
//! - **Charter.** The charter is on chain as a hash, a URI and a version number; amending it
//!   ([`Pallet::amend_charter`]) takes [`Config::CharterOrigin`], a stricter majority than
//!   routine motions. Every version stays readable in [`Charters`].
//! - **Rotating leadership.** The council's prime member rotates among the members every
//!   [`Config::TermDuration`] blocks, round-robin in account order, so no member leads long.
//! - **Runtime upgrades.** The council authorizes an upgrade by code hash
//!   ([`Pallet::authorize_upgrade`], [`Config::UpgradeOrigin`]); anyone then applies the
//!   authorized code with `system.apply_authorized_upgrade`. No single key can upgrade.
//!
//! ## Terminology
//! - **Member**: an organization admitted to the consortium, represented by one account that
//!   holds a council seat (not to be confused with the members of an organization, which the
//!   permissions pallet keeps).
//! - **Applicant**: an account that applied and awaits the council's decision, its deposit held.
//! - **Council**: the members' seats (`pallet-membership`) and their motions
//!   (`pallet-collective`); the **prime** is the member whose term it is to lead.
//! - **Charter**: the consortium's rules, off chain, identified by hash, URI and version.
//!
//! Council seats live in `pallet-membership`; this pallet changes them through
//! [`perfledger_primitives::CouncilSeats`], and creates organizations through
//! [`perfledger_primitives::OrganizationLifecycle`]. The runtime wires both.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame::{
	prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision},
	},
};
pub use pallet::*;
use perfledger_primitives::{CouncilSeats, OrganizationLifecycle, Region};
pub use types::*;
pub use weights::WeightInfo;

/// The balance type of the currency deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A pending application as stored.
pub type ApplicationOf<T> = Application<NameOf<T>, BalanceOf<T>, BlockNumberFor<T>>;
/// A member as stored.
pub type MemberOf<T> = MemberInfo<NameOf<T>, BlockNumberFor<T>>;
/// A charter version as stored.
pub type CharterOf<T> = Charter<<T as frame_system::Config>::Hash, UriOf<T>, BlockNumberFor<T>>;

#[frame::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of an application to join the consortium.
		ApplicationDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The currency application deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// What an applicant holds until the council decides.
		#[pallet::constant]
		type ApplicationDeposit: Get<BalanceOf<Self>>;

		/// Who admits, rejects and removes members: a council majority.
		type AdmissionOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who amends the charter: a stricter majority than routine motions.
		type CharterOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who authorizes runtime upgrades: a council supermajority.
		type UpgradeOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The council's seats.
		type Council: CouncilSeats<Self::AccountId>;

		/// Creates and closes members' organizations (the permissions pallet). The weights of
		/// `admit`, `remove_member` and `leave` include its work: the runtime benchmarks them
		/// with the implementation it wires.
		type Organizations: OrganizationLifecycle<Self::AccountId>;

		/// The fewest members the council may have.
		#[pallet::constant]
		type MinCouncilSize: Get<u32>;

		/// The most members the council may have.
		#[pallet::constant]
		type MaxCouncilSize: Get<u32>;

		/// How many blocks a prime member leads before the next takes over.
		#[pallet::constant]
		type TermDuration: Get<BlockNumberFor<Self>>;

		/// The longest organization name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;

		/// The longest charter URI, in bytes.
		#[pallet::constant]
		type MaxUriLength: Get<u32>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// Pending applications, by applicant.
	#[pallet::storage]
	pub type Applications<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ApplicationOf<T>>;

	/// The consortium's members, by council account.
	#[pallet::storage]
	pub type Members<T: Config> = CountedStorageMap<_, Blake2_128Concat, T::AccountId, MemberOf<T>>;

	/// Every version of the charter, by version number (from 1).
	#[pallet::storage]
	pub type Charters<T: Config> = StorageMap<_, Twox64Concat, u32, CharterOf<T>>;

	/// The charter's current version; 0 before the first one is adopted.
	#[pallet::storage]
	pub type CharterVersion<T: Config> = StorageValue<_, u32, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The founding members. Each must also sit on the council from genesis
		/// (the council membership's genesis lists the same accounts).
		pub founders: Vec<FoundingMember<T::AccountId>>,
		/// The first charter: its hash and URI (version 1), if any.
		pub charter: Option<(T::Hash, alloc::string::String)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for founder in &self.founders {
				let region: [u8; 2] = founder
					.region
					.as_bytes()
					.try_into()
					.ok()
					.and_then(Region::new)
					.map(|r| r.0)
					.expect("a founder's region is two upper-case letters (ISO 3166-1 alpha-2)");
				let member = MemberInfo {
					name: founder
						.name
						.as_bytes()
						.to_vec()
						.try_into()
						.expect("name fits MaxNameLength"),
					region: Region(region),
					organization: founder.organization,
					admitted_at: Zero::zero(),
				};
				assert!(
					!Members::<T>::contains_key(&founder.account),
					"a founding member appears twice"
				);
				Members::<T>::insert(&founder.account, member);
			}
			if let Some((hash, uri)) = &self.charter {
				let uri =
					uri.as_bytes().to_vec().try_into().expect("charter URI fits MaxUriLength");
				Charters::<T>::insert(1, Charter { hash: *hash, uri, adopted_at: Zero::zero() });
				CharterVersion::<T>::put(1);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An organization applied to join, holding `deposit`.
		ApplicationSubmitted { applicant: T::AccountId, deposit: BalanceOf<T> },
		/// An applicant withdrew its application; its deposit is released.
		ApplicationWithdrawn { applicant: T::AccountId },
		/// The council rejected an application; `slashed` of the deposit was burnt, the rest
		/// released.
		ApplicationRejected { applicant: T::AccountId, slashed: BalanceOf<T> },
		/// The council admitted an applicant: it has a council seat and an organization.
		MemberAdmitted { member: T::AccountId, organization: perfledger_primitives::OrganizationId },
		/// The council removed a member.
		MemberRemoved { member: T::AccountId },
		/// A member left the consortium.
		MemberLeft { member: T::AccountId },
		/// A new version of the charter was adopted.
		CharterAmended { version: u32, hash: T::Hash },
		/// The prime member changed at the start of term `term`.
		PrimeRotated { prime: T::AccountId, term: u32 },
		/// The council authorized a runtime upgrade to the code with this hash; anyone may now
		/// apply it with `system.apply_authorized_upgrade`.
		UpgradeAuthorized { code_hash: T::Hash },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is a member already.
		AlreadyMember,
		/// The account has an application pending already.
		AlreadyApplied,
		/// The applicant holds a role in an organization; an account acts for one only, so it
		/// renounces that role before applying to found its own.
		InAnotherOrganization,
		/// There is no pending application from this account.
		NoApplication,
		/// The account is not a member.
		NotMember,
		/// The organization's name is empty.
		EmptyName,
		/// The region is not an ISO 3166-1 alpha-2 code (two upper-case letters).
		InvalidRegion,
		/// The applicant cannot hold the application deposit.
		InsufficientDeposit,
		/// The council has `MaxCouncilSize` members.
		CouncilFull,
		/// The council would fall below `MinCouncilSize` members.
		CouncilTooSmall,
		/// The charter version is not the current version plus one.
		StaleCharterVersion,
		/// The charter URI is empty.
		EmptyUri,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Rotates the prime member at the first block of every term.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let term_duration = T::TermDuration::get();
			if term_duration.is_zero() || !(now % term_duration).is_zero() {
				return Weight::zero();
			}
			let term: u32 = (now / term_duration).saturated_into();
			Self::rotate_prime(term);
			T::WeightInfo::rotate_prime(T::MaxCouncilSize::get())
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Applies to join the consortium, holding `ApplicationDeposit` until the council
		/// decides.
		///
		/// `name` is the organization's name; `region` its ISO 3166-1 alpha-2 code.
		///
		/// ## Errors
		/// - `AlreadyMember`, `AlreadyApplied`, `EmptyName`, `InvalidRegion`,
		///   `InAnotherOrganization` (the applicant holds a role in an organization: it renounces
		///   it first), `InsufficientDeposit`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::apply())]
		pub fn apply(origin: OriginFor<T>, name: NameOf<T>, region: Region) -> DispatchResult {
			let applicant = ensure_signed(origin)?;
			ensure!(!Members::<T>::contains_key(&applicant), Error::<T>::AlreadyMember);
			ensure!(!Applications::<T>::contains_key(&applicant), Error::<T>::AlreadyApplied);
			ensure!(T::Organizations::may_found(&applicant), Error::<T>::InAnotherOrganization);
			ensure!(!name.is_empty(), Error::<T>::EmptyName);
			ensure!(region.is_valid(), Error::<T>::InvalidRegion);
			let deposit = T::ApplicationDeposit::get();
			T::Currency::hold(&HoldReason::ApplicationDeposit.into(), &applicant, deposit)
				.map_err(|_| Error::<T>::InsufficientDeposit)?;
			let applied_at = frame_system::Pallet::<T>::block_number();
			Applications::<T>::insert(
				&applicant,
				Application { name, region, deposit, applied_at },
			);
			Self::deposit_event(Event::ApplicationSubmitted { applicant, deposit });
			Ok(())
		}

		/// Withdraws the caller's pending application and releases its deposit.
		///
		/// ## Errors
		/// - `NoApplication`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw_application())]
		pub fn withdraw_application(origin: OriginFor<T>) -> DispatchResult {
			let applicant = ensure_signed(origin)?;
			let application =
				Applications::<T>::take(&applicant).ok_or(Error::<T>::NoApplication)?;
			Self::release_deposit(&applicant, application.deposit)?;
			Self::deposit_event(Event::ApplicationWithdrawn { applicant });
			Ok(())
		}

		/// Admits an applicant: its deposit is released, it takes a council seat and its
		/// organization is created.
		///
		/// The origin must be `AdmissionOrigin` (a council motion).
		///
		/// ## Errors
		/// - `NoApplication`, `CouncilFull`; the permissions pallet's errors if the organization
		///   cannot be created.
		///
		/// ## Complexity
		/// O(S), S the council's seats: weighed for a full council (`MaxCouncilSize`), the
		/// unused part refunded.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::admit(T::MaxCouncilSize::get()))]
		pub fn admit(origin: OriginFor<T>, applicant: T::AccountId) -> DispatchResultWithPostInfo {
			T::AdmissionOrigin::ensure_origin(origin)?;
			let application =
				Applications::<T>::get(&applicant).ok_or(Error::<T>::NoApplication)?;
			let seats = Members::<T>::count();
			ensure!(seats < T::MaxCouncilSize::get(), Error::<T>::CouncilFull);

			// The storage layer rolls every write back if a later step fails.
			Applications::<T>::remove(&applicant);
			Self::release_deposit(&applicant, application.deposit)?;
			let organization =
				T::Organizations::on_admitted(&applicant, &application.name, application.region)?;
			T::Council::add(&applicant)?;
			Members::<T>::insert(
				&applicant,
				MemberInfo {
					name: application.name,
					region: application.region,
					organization,
					admitted_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::MemberAdmitted { member: applicant, organization });
			Ok(Some(T::WeightInfo::admit(seats)).into())
		}

		/// Rejects an application. With `slash`, the deposit is burnt; otherwise released.
		///
		/// The origin must be `AdmissionOrigin` (a council motion).
		///
		/// ## Errors
		/// - `NoApplication`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reject())]
		pub fn reject(
			origin: OriginFor<T>,
			applicant: T::AccountId,
			slash: bool,
		) -> DispatchResult {
			T::AdmissionOrigin::ensure_origin(origin)?;
			let application =
				Applications::<T>::take(&applicant).ok_or(Error::<T>::NoApplication)?;
			let slashed = if slash {
				T::Currency::burn_held(
					&HoldReason::ApplicationDeposit.into(),
					&applicant,
					application.deposit,
					Precision::BestEffort,
					Fortitude::Force,
				)?
			} else {
				Self::release_deposit(&applicant, application.deposit)?;
				Zero::zero()
			};
			Self::deposit_event(Event::ApplicationRejected { applicant, slashed });
			Ok(())
		}

		/// Removes a member: its council seat goes, its organization is suspended.
		///
		/// The origin must be `AdmissionOrigin` (a council motion).
		///
		/// ## Errors
		/// - `NotMember`, `CouncilTooSmall`.
		///
		/// ## Complexity
		/// O(S), S the council's seats: weighed for a full council (`MaxCouncilSize`), the
		/// unused part refunded.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::remove_member(T::MaxCouncilSize::get()))]
		pub fn remove_member(
			origin: OriginFor<T>,
			member: T::AccountId,
		) -> DispatchResultWithPostInfo {
			T::AdmissionOrigin::ensure_origin(origin)?;
			let seats = Self::do_remove(&member)?;
			Self::deposit_event(Event::MemberRemoved { member });
			Ok(Some(T::WeightInfo::remove_member(seats)).into())
		}

		/// Leaves the consortium: the caller's council seat goes, its organization is
		/// suspended.
		///
		/// ## Errors
		/// - `NotMember`, `CouncilTooSmall`.
		///
		/// ## Complexity
		/// O(S), S the council's seats: weighed for a full council (`MaxCouncilSize`), the
		/// unused part refunded.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::remove_member(T::MaxCouncilSize::get()))]
		pub fn leave(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let member = ensure_signed(origin)?;
			let seats = Self::do_remove(&member)?;
			Self::deposit_event(Event::MemberLeft { member });
			Ok(Some(T::WeightInfo::remove_member(seats)).into())
		}

		/// Adopts a new version of the charter.
		///
		/// The origin must be `CharterOrigin` (a council supermajority). `version` must be the
		/// current version plus one, so that two motions drafted against the same version
		/// cannot both pass.
		///
		/// ## Errors
		/// - `StaleCharterVersion`, `EmptyUri`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::amend_charter())]
		pub fn amend_charter(
			origin: OriginFor<T>,
			hash: T::Hash,
			uri: UriOf<T>,
			version: u32,
		) -> DispatchResult {
			T::CharterOrigin::ensure_origin(origin)?;
			ensure!(
				Some(version) == CharterVersion::<T>::get().checked_add(1),
				Error::<T>::StaleCharterVersion
			);
			ensure!(!uri.is_empty(), Error::<T>::EmptyUri);
			let adopted_at = frame_system::Pallet::<T>::block_number();
			Charters::<T>::insert(version, Charter { hash, uri, adopted_at });
			CharterVersion::<T>::put(version);
			Self::deposit_event(Event::CharterAmended { version, hash });
			Ok(())
		}

		/// Authorizes a runtime upgrade to the Wasm whose hash is `code_hash`. The motion
		/// carries the hash, not the code: anyone then submits the code with
		/// `system.apply_authorized_upgrade`, which checks the hash and that `spec_version`
		/// increases.
		///
		/// The origin must be `UpgradeOrigin` (a council supermajority).
		///
		/// ## Errors
		/// - `BadOrigin` (not the council's supermajority).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::authorize_upgrade())]
		pub fn authorize_upgrade(origin: OriginFor<T>, code_hash: T::Hash) -> DispatchResult {
			T::UpgradeOrigin::ensure_origin(origin)?;
			frame_system::Pallet::<T>::do_authorize_upgrade(code_hash, true);
			Self::deposit_event(Event::UpgradeAuthorized { code_hash });
			Ok(())
		}
	}
}

/// The accounts with a pending application: what the permissions pallet asks before an
/// organization grants a role (so that no grant keeps an applicant out of its own organization).
pub struct Applicants<T>(core::marker::PhantomData<T>);
impl<T: Config> Contains<T::AccountId> for Applicants<T> {
	fn contains(who: &T::AccountId) -> bool {
		Applications::<T>::contains_key(who)
	}
}

impl<T: Config> Pallet<T> {
	fn release_deposit(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::release(
			&HoldReason::ApplicationDeposit.into(),
			who,
			amount,
			Precision::BestEffort,
		)?;
		Ok(())
	}

	/// Removes a member's seat, organization and record; returns the seats there were.
	fn do_remove(member: &T::AccountId) -> Result<u32, DispatchError> {
		ensure!(Members::<T>::contains_key(member), Error::<T>::NotMember);
		let seats = Members::<T>::count();
		ensure!(seats > T::MinCouncilSize::get(), Error::<T>::CouncilTooSmall);
		T::Council::remove(member)?;
		T::Organizations::on_removed(member)?;
		Members::<T>::remove(member);
		Ok(seats)
	}

	/// Makes the member at position `term mod members` (in account order) the prime.
	fn rotate_prime(term: u32) {
		let Some(prime) = Self::prime_for_term(term) else { return };
		if T::Council::prime().as_ref() == Some(&prime) {
			return;
		}
		match T::Council::set_prime(&prime) {
			Ok(()) => Self::deposit_event(Event::PrimeRotated { prime, term }),
			Err(e) => log::error!(target: "runtime::consortium", "prime rotation failed: {e:?}"),
		}
	}

	/// The member who would lead in `term`.
	pub fn prime_for_term(term: u32) -> Option<T::AccountId> {
		let members = T::Council::members();
		(!members.is_empty()).then(|| members[term as usize % members.len()].clone())
	}

	/// Invariants: the council's seats are exactly the members, within the size bounds, and
	/// every pending application holds its deposit.
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let mut members: Vec<_> = Members::<T>::iter_keys().collect();
		members.sort();
		ensure!(members == T::Council::members(), "council seats and members differ");
		ensure!(
			(members.len() as u32) <= T::MaxCouncilSize::get(),
			"more members than MaxCouncilSize"
		);
		use frame::traits::fungible::InspectHold;
		for (applicant, application) in Applications::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ApplicationDeposit.into(), &applicant)
					>= application.deposit,
				"an application's deposit is not held"
			);
		}
		let version = CharterVersion::<T>::get();
		ensure!(version == 0 || Charters::<T>::contains_key(version), "current charter missing");
		Ok(())
	}
}
