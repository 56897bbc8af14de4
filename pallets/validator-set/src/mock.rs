//! A test runtime with only System and the validator set, and a finality gadget that records
//! what it is told.

use crate as pallet_validator_set;
use frame::{
	deps::sp_runtime::BuildStorage, prelude::*, runtime::prelude::*, testing_prelude::*,
	traits::ValidatorRegistration,
};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub struct Test {
		System: frame_system,
		ValidatorSet: pallet_validator_set,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	/// The accounts whose operators have set session keys.
	pub static WithKeys: Vec<u64> = vec![1, 2, 3, 4, 5, 6, 7];
	/// The stalls noted with the finality gadget: `(delay, best_finalized)`, oldest first.
	pub static StallsNoted: Vec<(u64, u64)> = vec![];
	/// Whether the finality gadget refuses to note a stall.
	pub static RefuseStalls: bool = false;
}

/// Session keys are registered for the accounts in `WithKeys`.
pub struct MockSessionKeys;
impl ValidatorRegistration<u64> for MockSessionKeys {
	fn is_registered(id: &u64) -> bool {
		WithKeys::get().contains(id)
	}
}

/// Purging removes the account from `WithKeys`; an account without keys gets an error.
impl crate::PurgeKeys<u64> for MockSessionKeys {
	fn purge_keys(who: &u64) -> DispatchResult {
		ensure!(WithKeys::get().contains(who), DispatchError::Other("no keys"));
		WithKeys::mutate(|keys| keys.retain(|k| k != who));
		Ok(())
	}
}

/// A finality gadget that records the stalls it is told of in `StallsNoted`, or refuses them
/// while `RefuseStalls` is set.
pub struct MockFinalityRecovery;
impl crate::FinalityRecovery<u64> for MockFinalityRecovery {
	fn note_stalled(delay: u64, best_finalized: u64) -> DispatchResult {
		if RefuseStalls::get() {
			return Err(DispatchError::Other("the finality gadget refused"));
		}
		StallsNoted::mutate(|stalls| stalls.push((delay, best_finalized)));
		Ok(())
	}
}

impl pallet_validator_set::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorOrigin = EnsureRoot<u64>;
	type SessionKeys = MockSessionKeys;
	type KeyPurge = MockSessionKeys;
	type MaxValidators = ConstU32<4>;
	type FinalityRecovery = MockFinalityRecovery;
	type MaxRecoveryDelay = ConstU64<9>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockSessionKeys;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockSessionKeys {
	fn register_session_keys(who: &u64) {
		WithKeys::mutate(|keys| keys.push(*who));
	}
}

/// Genesis validators 1, 2 and 3; the invariants are checked after every test.
pub struct ExtBuilder {
	pub validators: Vec<u64>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { validators: vec![1, 2, 3] }
	}
}

impl ExtBuilder {
	pub fn build(self) -> TestState {
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			validator_set: pallet_validator_set::GenesisConfig {
				validators: self.validators,
				min_validators: 2,
			},
		}
		.build_storage()
		.unwrap();
		let mut ext = TestState::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			ValidatorSet::do_try_state().expect("invariants hold");
		});
	}
}
