//! A test runtime with System and node authorization, to run each benchmark once as a test.

use crate as node_authorization_benchmarks;
use frame::{deps::sp_runtime::BuildStorage, runtime::prelude::*, testing_prelude::*};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub struct Test {
		System: frame_system,
		NodeAuthorization: pallet_node_authorization,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_node_authorization::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type MaxWellKnownNodes = ConstU32<8>;
	type MaxPeerIdLength = ConstU32<128>;
	type AddOrigin = EnsureRoot<u64>;
	type RemoveOrigin = EnsureRoot<u64>;
	type SwapOrigin = EnsureRoot<u64>;
	type ResetOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
}

impl node_authorization_benchmarks::Config for Test {}

pub fn new_test_ext() -> TestState {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	TestState::new(storage)
}
