//! A test runtime: System and permissions. Council motions are root; account 99 is privileged
//! (a council member or validator); `remark_with_event` is the one open call.

use crate as pallet_permissions;
use crate::{GenesisGrant, GenesisOrganization, Role};
use frame::{deps::sp_runtime::BuildStorage, prelude::*, runtime::prelude::*, testing_prelude::*};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub struct Test {
		System: frame_system,
		Permissions: pallet_permissions,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The account that sits on the council or runs a validator.
pub const PRIVILEGED: u64 = 99;

pub struct Privileged;
impl Contains<u64> for Privileged {
	fn contains(who: &u64) -> bool {
		*who == PRIVILEGED
	}
}

/// An account applying to found its own organization.
pub const APPLICANT: u64 = 30;
pub struct Applicants;
impl Contains<u64> for Applicants {
	fn contains(who: &u64) -> bool {
		*who == APPLICANT
	}
}

/// The call anyone may submit.
pub struct OpenCalls;
impl Contains<RuntimeCall> for OpenCalls {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::System(frame_system::Call::remark_with_event { .. }))
	}
}

impl pallet_permissions::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type CouncilOrigin = EnsureRoot<u64>;
	type Privileged = Privileged;
	type OpenCalls = OpenCalls;
	type Applicants = Applicants;
	type MaxNameLength = ConstU32<16>;
	type MaxScopedMetrics = ConstU32<2>;
	type MaxMembers = ConstU32<3>;
	type MaxExpiriesPerBlock = ConstU32<2>;
	type WeightInfo = ();
}

/// Acme (organization 0, owner 1, DE) with reporter 11; Borealis (organization 1, owner 2, FI).
pub const ACME: u32 = 0;
pub const BOREALIS: u32 = 1;

pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> TestState {
		let org = |id, owner, name: &str, region: &str| GenesisOrganization {
			id,
			owner,
			name: name.into(),
			region: region.into(),
		};
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			permissions: pallet_permissions::GenesisConfig {
				organizations: vec![org(ACME, 1, "Acme", "DE"), org(BOREALIS, 2, "Borealis", "FI")],
				grants: vec![GenesisGrant {
					who: 11,
					role: Role::Reporter,
					organization: Some(ACME),
				}],
			},
		}
		.build_storage()
		.unwrap();
		let mut ext = TestState::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			Permissions::do_try_state().expect("invariants hold");
		});
	}
}

/// Imports blocks up to `n`, running the pallet's `on_initialize`.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Permissions::on_initialize(next);
	}
}
