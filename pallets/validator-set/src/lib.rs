//! # Validator set
//!
//! The validators of a consortium chain: the accounts whose session keys author blocks
//! (Aura) and vote on finality (GRANDPA). The set changes only by the council's motion, never
//! below [`MinValidators`], and reaches consensus through `pallet-session`, for which
//! this pallet is the `SessionManager`.
//!
//! ## Life of a change
//! 1. The new validator's operator sets its session keys (`session.set_keys`) from its account.
//! 2. The council passes `add_validator(who)` (or `remove_validator(who)`; never below
//!    [`MinValidators`], which the council sets with `set_min_validators`).
//! 3. At the next session rotation this pallet hands the new set to `pallet-session`, which
//!    queues it; it becomes the authoring and voting set at the rotation after (the standard
//!    one-session delay of `pallet-session`, so that every node knows the next set in advance).
//!
//! ## Calls
//! - [`Pallet::add_validator`]: the council adds a validator whose session keys are registered.
//! - [`Pallet::remove_validator`]: the council removes a validator, keeping at least the minimum.
//! - [`Pallet::set_min_validators`]: the council sets the minimum.

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

		/// The most validators the chain may have (Aura's and GRANDPA's bound).
		#[pallet::constant]
		type MaxValidators: Get<u32>;

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
