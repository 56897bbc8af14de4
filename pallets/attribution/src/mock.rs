//! A test runtime: System, Balances and Attribution, with the permissions kept in a table and a
//! settable clock.
//!
//! Five organizations: Acme (0) trains models, Borealis (1) and Coldline (2) fine-tune and
//! evaluate, DataCo (3) provides data, Evalia (4) only evaluates. Each has an admin (who
//! administers and spends), a contributor (who registers artifacts and licenses) and, where it
//! evaluates, an evaluator.

use crate as pallet_attribution;
use frame::{prelude::*, runtime::prelude::*, testing_prelude::*, traits::UnixTime};
use perfledger_primitives::{Action, OrganizationId, Permissions, Role, Target};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub struct Test {
		System: frame_system,
		Balances: pallet_balances,
		Attribution: pallet_attribution,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<10>;
}

pub const ACME: OrganizationId = 0;
pub const BOREALIS: OrganizationId = 1;
pub const COLDLINE: OrganizationId = 2;
pub const DATACO: OrganizationId = 3;
pub const EVALIA: OrganizationId = 4;

pub const ACME_ADMIN: u64 = 1;
pub const ACME_ML: u64 = 11;
pub const BOREALIS_ADMIN: u64 = 2;
pub const BOREALIS_ML: u64 = 21;
pub const BOREALIS_EVAL: u64 = 22;
pub const COLDLINE_ADMIN: u64 = 3;
pub const COLDLINE_ML: u64 = 31;
pub const COLDLINE_EVAL: u64 = 32;
pub const DATACO_ADMIN: u64 = 4;
pub const DATACO_ML: u64 = 41;
pub const EVALIA_ADMIN: u64 = 5;
pub const EVALIA_EVAL: u64 = 52;
pub const STRANGER: u64 = 9;

/// Who acts for which organization, with which action.
pub const MEMBERS: [(u64, OrganizationId, Action); 12] = [
	(ACME_ADMIN, ACME, Action::Administer),
	(ACME_ML, ACME, Action::RegisterArtifact),
	(BOREALIS_ADMIN, BOREALIS, Action::Administer),
	(BOREALIS_ML, BOREALIS, Action::RegisterArtifact),
	(BOREALIS_EVAL, BOREALIS, Action::Evaluate),
	(COLDLINE_ADMIN, COLDLINE, Action::Administer),
	(COLDLINE_ML, COLDLINE, Action::RegisterArtifact),
	(COLDLINE_EVAL, COLDLINE, Action::Evaluate),
	(DATACO_ADMIN, DATACO, Action::Administer),
	(DATACO_ML, DATACO, Action::RegisterArtifact),
	(EVALIA_ADMIN, EVALIA, Action::Administer),
	(EVALIA_EVAL, EVALIA, Action::Evaluate),
];

parameter_types! {
	pub static Now: u64 = 1_700_000_000_000;
	/// Accounts whose roles were revoked.
	pub static Revoked: Vec<u64> = vec![];
	pub const AttributionPalletId: PalletId = PalletId(*b"perf/atr");
	pub const OutlierDistance: Permill = Permill::from_percent(30);
}

pub struct MockPermissions;
impl Permissions<u64> for MockPermissions {
	fn may(who: &u64, action: Action, target: &Target) -> bool {
		if let Some(organization) = benchmark_member(*who) {
			return target.organization == Some(organization);
		}
		!Revoked::get().contains(who)
			&& MEMBERS
				.iter()
				.any(|(w, o, a)| w == who && *a == action && target.organization == Some(*o))
	}
	fn has_role(_: &u64, _: Role, _: &Target) -> bool {
		false
	}
	fn organization_of(who: &u64) -> Option<OrganizationId> {
		benchmark_member(*who)
			.or_else(|| MEMBERS.iter().find(|(w, _, _)| w == who).map(|(_, o, _)| *o))
	}
	fn is_active(_: OrganizationId) -> bool {
		true
	}
	fn may_weight() -> Weight {
		Weight::zero()
	}
}

/// The benchmarks' members: account `1000 + i` acts for organization `100 + i` with every role.
pub const BENCHMARK_MEMBERS: u64 = 1000;

fn benchmark_member(who: u64) -> Option<OrganizationId> {
	(who >= BENCHMARK_MEMBERS).then(|| (who - BENCHMARK_MEMBERS) as OrganizationId + 100)
}

pub struct Clock;
impl UnixTime for Clock {
	fn now() -> core::time::Duration {
		core::time::Duration::from_millis(Now::get())
	}
}

impl pallet_attribution::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Permissions = MockPermissions;
	type Clock = Clock;
	type PalletId = AttributionPalletId;
	type MaxParents = ConstU32<4>;
	type MaxUriLength = ConstU32<96>;
	type MaxRoyalties = ConstU32<4>;
	type MaxContributors = ConstU32<3>;
	type MaxEvaluators = ConstU32<4>;
	type MinEvaluators = ConstU32<2>;
	type MinPhase = ConstU64<2>;
	type MaxPhase = ConstU64<100>;
	type OutlierDistance = OutlierDistance;
	type MaxMilestonesPerModel = ConstU32<2>;
	type MaxMilestoneBlocks = ConstU64<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockPermissions;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockPermissions {
	fn member(index: u32) -> u64 {
		BENCHMARK_MEMBERS + u64::from(index)
	}
}

pub const ENDOWMENT: u64 = 1_000_000_000_000;

pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> TestState {
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			balances: pallet_balances::GenesisConfig {
				balances: MEMBERS
					.iter()
					.map(|(who, _, _)| *who)
					.chain([STRANGER])
					.map(|who| (who, ENDOWMENT))
					.collect(),
				..Default::default()
			},
			attribution: Default::default(),
		}
		.build_storage()
		.unwrap();
		Now::set(1_700_000_000_000);
		Revoked::set(vec![]);
		let mut ext = TestState::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			Attribution::do_try_state().expect("invariants hold");
		});
	}
}

/// Moves on `blocks` blocks.
pub fn advance(blocks: u64) {
	System::set_block_number(System::block_number() + blocks);
}
