//! # Validator set
//!
//! The validators of a consortium chain: the accounts whose session keys author blocks
//! (Aura) and vote on finality (GRANDPA). The set changes only by the council's motion, never
//! below [`MinValidators`], and reaches consensus through `pallet-session`, for which
//! this pallet is the `SessionManager`.
//!
//! ## Terminology
//! - **Validator**: an account whose session keys author blocks and vote on finality; its
//!   **operator** runs the node and sets the keys.
//! - **Session**: the period after which the set changes hands; a change takes effect two
//!   session rotations after the council's motion.
//! - **Session keys**: the Aura and GRANDPA keys registered with `session.set_keys`.
//!
//! ## Life of a change
//! 1. The new validator's operator sets its session keys (`session.set_keys`) from its account.
//! 2. The council passes `add_validator(who)` (or `remove_validator(who)`; never below
//!    [`MinValidators`], which the council sets with `set_min_validators`).
//! 3. At the next session rotation this pallet hands the new set to `pallet-session`, which
//!    queues it; it becomes the authoring and voting set at the rotation after (the standard
//!    one-session delay of `pallet-session`, so that every node knows the next set in advance).
//!
//! ## When finality stalls
//! GRANDPA finalizes a block only with the votes of more than two thirds of its voters. When
//! more than a third are lost (their machines, or the keys in their keystores), nothing is
//! finalized again: blocks are still authored, but the set change that would replace the lost
//! voters is a block like any other and needs their votes to be finalized. GRANDPA's way out,
//! a *forced* change that is enacted without being finalized, needs the root origin, which no
//! account holds. [`Pallet::recover_finality`] gives it to the council:
//! 1. The operators of the lost validators set new session keys (`session.set_keys`); they are
//!    active two session rotations later. The council removes the validators that will not come
//!    back.
//! 2. The council passes `recover_finality(delay, best_finalized)`.
//! 3. At the next session boundary GRANDPA schedules a forced change to the validators active
//!    in that session, with their keys of that session; `delay` blocks later the new voters
//!    start finalizing on top of block `best_finalized`.
//!
//! ## Calls
//! - [`Pallet::add_validator`]: the council adds a validator whose session keys are registered.
//! - [`Pallet::remove_validator`]: the council removes a validator, keeping at least the minimum.
//! - [`Pallet::set_min_validators`]: the council sets the minimum.
//! - [`Pallet::recover_finality`]: the council forces GRANDPA onto the current validators after
//!   finality stalled.

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
use frame::{prelude::*, traits::ValidatorRegistration};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

const LOG_TARGET: &str = "runtime::validator-set";

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers session keys for `who`, so that it may become a validator.
	fn register_session_keys(who: &AccountId);
}

/// How [`Pallet::recover_finality`] reaches the finality gadget: in a runtime with GRANDPA, its
/// `note_stalled`.
pub trait FinalityRecovery<BlockNumber> {
	/// Notes that finality has stalled: at the next session boundary the finality gadget
	/// schedules a forced change to the validators active in that session, enacted `delay`
	/// blocks after that boundary, whose voters finalize on top of block `best_finalized`.
	fn note_stalled(delay: BlockNumber, best_finalized: BlockNumber) -> DispatchResult;
}

/// How [`Pallet::purge_keys`] removes an operator's session keys: in a runtime with
/// `pallet-session`, its own `purge_keys` for that account (which returns the key deposit).
pub trait PurgeKeys<AccountId> {
	/// Removes `who`'s session keys.
	fn purge_keys(who: &AccountId) -> DispatchResult;
}

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

		/// Who may change the validator set: the council, by motion.
		type ValidatorOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Whether an account has registered session keys (`pallet-session`).
		type SessionKeys: ValidatorRegistration<Self::AccountId>;

		/// Removes an operator's session keys ([`Pallet::purge_keys`]; `pallet-session`'s own
		/// `purge_keys`, which the runtime keeps out of reach otherwise). What it costs is part
		/// of that call's weight, which the runtime measures with its implementation.
		type KeyPurge: PurgeKeys<Self::AccountId>;

		/// The most validators the chain may have (Aura's and GRANDPA's bound).
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// The finality gadget that [`Pallet::recover_finality`] tells of a stall (GRANDPA's
		/// `note_stalled`). What it costs is part of that call's benchmark, which runs with the
		/// runtime's implementation.
		type FinalityRecovery: FinalityRecovery<BlockNumberFor<Self>>;

		/// The longest `delay`, in blocks, that the council may give
		/// [`Pallet::recover_finality`] between the session boundary and the forced change.
		#[pallet::constant]
		type MaxRecoveryDelay: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Registers session keys for the benchmarks' accounts.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The validators: the set handed to `pallet-session` at the next rotation.
	#[pallet::storage]
	pub type Validators<T: Config> = StorageValue<_, ValidatorList<T>, ValueQuery>;

	/// The fewest validators the chain may have, set at genesis and by the council. With
	/// GRANDPA's two-thirds rule, four validators survive one failure.
	#[pallet::storage]
	pub type MinValidators<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Whether `Validators` changed since it was last handed to `pallet-session`.
	#[pallet::storage]
	pub type PendingChange<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The validators at genesis. Each needs session keys in `pallet-session`'s genesis.
		pub validators: Vec<T::AccountId>,
		/// The fewest validators the council may leave (at least 1).
		pub min_validators: u32,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { validators: Vec::new(), min_validators: 1 }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut seen = self.validators.clone();
			seen.sort();
			seen.dedup();
			assert_eq!(seen.len(), self.validators.len(), "genesis validators are distinct");
			assert!(self.min_validators >= 1, "the minimum is at least one validator");
			assert!(
				self.validators.is_empty() || self.validators.len() as u32 >= self.min_validators,
				"genesis has at least min_validators validators"
			);
			MinValidators::<T>::put(self.min_validators);
			let list: ValidatorList<T> = self
				.validators
				.clone()
				.try_into()
				.expect("genesis has at most MaxValidators validators");
			Validators::<T>::put(list);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The council added a validator; it joins the set within two session rotations.
		ValidatorAdded { who: T::AccountId },
		/// The council removed a validator; it leaves the set within two session rotations.
		ValidatorRemoved { who: T::AccountId },
		/// The changed set was handed to `pallet-session` for session `session_index`.
		ValidatorSetQueued { session_index: u32, validators: u32 },
		/// The council set the fewest validators the chain may have.
		MinValidatorsSet { min: u32 },
		/// The council noted that finality has stalled: at the next session boundary GRANDPA
		/// schedules a forced change to the validators active then, enacted `delay` blocks later,
		/// whose voters finalize on top of block `best_finalized`.
		FinalityRecoveryScheduled { delay: BlockNumberFor<T>, best_finalized: BlockNumberFor<T> },
		/// An operator that runs no validator removed its session keys (and got its key deposit
		/// back).
		KeysPurged { who: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is a validator already.
		AlreadyValidator,
		/// The account is not a validator.
		NotValidator,
		/// The account has no session keys: its operator must call `session.set_keys` first.
		NoSessionKeys,
		/// The set is full (`MaxValidators`).
		TooManyValidators,
		/// Removing this validator would leave fewer than `MinValidators`.
		TooFewValidators,
		/// The minimum must be at least one and at most the current number of validators.
		InvalidMinimum,
		/// The delay of a forced finality change must be at least one block.
		DelayTooShort,
		/// The delay of a forced finality change is longer than `MaxRecoveryDelay`.
		DelayTooLong,
		/// The block to finalize on top of is not below the current block: it cannot have been
		/// finalized.
		FinalizedInFuture,
		/// A validator keeps its session keys: without them it would leave the next session's
		/// set (below `MinValidators`, or empty, which would halt block production). The council
		/// removes it first.
		StillValidator,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds `who` to the validators.
		///
		/// The origin must be `ValidatorOrigin` (a council motion). `who` must have registered
		/// session keys. The validator starts authoring and voting within two session
		/// rotations.
		///
		/// ## Errors
		/// - `AlreadyValidator`, `NoSessionKeys`, `TooManyValidators`.
		///
		/// ## Complexity
		/// - O(V), V the number of validators (bounded by `MaxValidators`).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator(T::MaxValidators::get()))]
		pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::ValidatorOrigin::ensure_origin(origin)?;
			let mut validators = Validators::<T>::get();
			ensure!(!validators.contains(&who), Error::<T>::AlreadyValidator);
			ensure!(T::SessionKeys::is_registered(&who), Error::<T>::NoSessionKeys);
			validators.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
			Validators::<T>::put(validators);
			PendingChange::<T>::put(true);
			Self::deposit_event(Event::ValidatorAdded { who });
			Ok(())
		}

		/// Removes `who` from the validators.
		///
		/// The origin must be `ValidatorOrigin` (a council motion). At least `MinValidators`
		/// remain. The validator stops authoring and voting within two session rotations.
		///
		/// ## Errors
		/// - `NotValidator`, `TooFewValidators`.
		///
		/// ## Complexity
		/// - O(V), V the number of validators (bounded by `MaxValidators`).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator(T::MaxValidators::get()))]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::ValidatorOrigin::ensure_origin(origin)?;
			let mut validators = Validators::<T>::get();
			let position =
				validators.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
			ensure!(
				validators.len() as u32 > MinValidators::<T>::get(),
				Error::<T>::TooFewValidators
			);
			validators.remove(position);
			Validators::<T>::put(validators);
			PendingChange::<T>::put(true);
			Self::deposit_event(Event::ValidatorRemoved { who });
			Ok(())
		}

		/// Sets the fewest validators the chain may have.
		///
		/// The origin must be `ValidatorOrigin` (a council motion). `min` must be at least one
		/// and at most the current number of validators.
		///
		/// ## Errors
		/// - `InvalidMinimum`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_min_validators())]
		pub fn set_min_validators(origin: OriginFor<T>, min: u32) -> DispatchResult {
			T::ValidatorOrigin::ensure_origin(origin)?;
			let count = Validators::<T>::decode_len().unwrap_or(0) as u32;
			ensure!(min >= 1 && min <= count, Error::<T>::InvalidMinimum);
			MinValidators::<T>::put(min);
			Self::deposit_event(Event::MinValidatorsSet { min });
			Ok(())
		}

		/// Restarts finality after it stalled, by forcing GRANDPA onto the next session's
		/// validators.
		///
		/// The origin must be `ValidatorOrigin` (a council motion). For when more than a third of
		/// GRANDPA's voters are lost and nothing is finalized any more (see the crate docs): at the
		/// next session boundary GRANDPA schedules a *forced* change to the validators active in
		/// that session, with the session keys they have in it. The change is enacted `delay`
		/// blocks after that boundary, once that block is imported, without being finalized; the
		/// new voters then finalize on top of block `best_finalized`.
		///
		/// Before the motion, the lost validators' operators set new session keys and wait until
		/// they are active (two session rotations), and the council removes the validators that
		/// will not come back. `best_finalized` should be the highest block finalized by any node
		/// of the new set (`chain_getFinalizedHead`), so that the new voters build on everything
		/// any of them has finalized. `delay` gives the block that signals the change time to
		/// settle in the chain.
		///
		/// A second call before the boundary replaces the first one's numbers. If GRANDPA refuses
		/// the forced change at the boundary (it allows none within twice the last one's delay),
		/// it tries again at every boundary after.
		///
		/// ## Errors
		/// - `DelayTooShort`: `delay` is zero.
		/// - `DelayTooLong`: `delay` is above `MaxRecoveryDelay`.
		/// - `FinalizedInFuture`: `best_finalized` is not below the current block.
		/// - Any error of the finality gadget (`FinalityRecovery`).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::recover_finality())]
		pub fn recover_finality(
			origin: OriginFor<T>,
			delay: BlockNumberFor<T>,
			best_finalized: BlockNumberFor<T>,
		) -> DispatchResult {
			T::ValidatorOrigin::ensure_origin(origin)?;
			ensure!(!delay.is_zero(), Error::<T>::DelayTooShort);
			ensure!(delay <= T::MaxRecoveryDelay::get(), Error::<T>::DelayTooLong);
			ensure!(
				best_finalized < frame_system::Pallet::<T>::block_number(),
				Error::<T>::FinalizedInFuture
			);
			T::FinalityRecovery::note_stalled(delay, best_finalized)?;
			log::warn!(
				target: LOG_TARGET,
				"finality recovery: a forced GRANDPA change at the next session boundary, \
				 {delay:?} blocks later, on top of #{best_finalized:?}"
			);
			Self::deposit_event(Event::FinalityRecoveryScheduled { delay, best_finalized });
			Ok(())
		}

		/// Removes the caller's session keys and returns their deposit: for a candidate the
		/// council did not admit, or a validator it removed.
		///
		/// Any signed account may call it, except a validator: the session pallet leaves an
		/// account without keys out of the next session's set, so a validator purging its keys
		/// would shrink the set below `MinValidators` (or empty it, halting block production)
		/// without a motion. The runtime filters `session.purge_keys` itself out for that reason;
		/// this is the way to it.
		///
		/// ## Errors
		/// - `StillValidator`: the caller is in the validator set (the council removes it first).
		/// - Any error of the session pallet's `purge_keys` (`NoKeys` when none are set).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::purge_keys())]
		pub fn purge_keys(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Validators::<T>::get().contains(&who), Error::<T>::StillValidator);
			T::KeyPurge::purge_keys(&who)?;
			Self::deposit_event(Event::KeysPurged { who });
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Invariants: the set is at least the minimum, and has no duplicate.
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let validators = Validators::<T>::get();
		ensure!(MinValidators::<T>::get() >= 1, "the minimum is zero");
		ensure!(
			validators.len() as u32 >= MinValidators::<T>::get(),
			"fewer validators than MinValidators"
		);
		let mut sorted = validators.into_inner();
		sorted.sort();
		let len = sorted.len();
		sorted.dedup();
		ensure!(sorted.len() == len, "a validator appears twice");
		Ok(())
	}
}

/// `pallet-session` asks this pallet for the validators of each new session.
impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: u32) -> Option<Vec<T::AccountId>> {
		if !PendingChange::<T>::take() {
			return None;
		}
		let validators = Validators::<T>::get().into_inner();
		log::info!(target: LOG_TARGET, "new validator set of {} for session {new_index}", validators.len());
		Self::deposit_event(Event::ValidatorSetQueued {
			session_index: new_index,
			validators: validators.len() as u32,
		});
		Some(validators)
	}

	fn new_session_genesis(_: u32) -> Option<Vec<T::AccountId>> {
		Some(Validators::<T>::get().into_inner())
	}

	fn end_session(_: u32) {}
	fn start_session(_: u32) {}
}
