//! A test runtime: System and disclosure, with permissions and records kept in simple tables
//! and a settable clock. The council is root.

use crate as pallet_disclosure;
use frame::{prelude::*, runtime::prelude::*, testing_prelude::*, traits::UnixTime};
use pallet_permissions::policy::permits;
use perfledger_primitives::{
	Action, Aggregate, MetricId, OrganizationId, PerformanceData, Permissions, Role, Target,
};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub struct Test {
		System: frame_system,
		Disclosure: pallet_disclosure,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Acme's admin and reporter; Borealis's, Coldline's and Delta's admins; Delta's auditor; a
/// stranger.
pub const ACME_ADMIN: u64 = 1;
pub const ACME_REPORTER: u64 = 2;
pub const BOREALIS_ADMIN: u64 = 3;
pub const COLDLINE_ADMIN: u64 = 4;
pub const DELTA_ADMIN: u64 = 5;
pub const AUDITOR: u64 = 6;
pub const STRANGER: u64 = 9;
pub const ACME: OrganizationId = 0;
pub const BOREALIS: OrganizationId = 1;

/// Emissions (t CO2e, daily), Acme's; record 0 is Acme's, record 1 Borealis's.
pub const EMISSIONS: MetricId = 7;
pub const DAY: u64 = 86_400_000;
pub const ACME_RECORD: u64 = 0;
pub const BOREALIS_RECORD: u64 = 1;

parameter_types! {
	/// Who holds which role in which organization, optionally for one metric only.
	pub static Grants: Vec<(u64, Role, OrganizationId, Option<MetricId>)> = vec![];
	/// Auditors and regulators: no organization of their own, optionally scoped to one metric.
	pub static ConsortiumGrants: Vec<(u64, Role, Option<MetricId>)> = vec![];
	/// The clock, in ms since the Unix epoch: day 10.
	pub static Now: u64 = 10 * DAY + 1;
}

pub fn default_grants() -> Vec<(u64, Role, OrganizationId, Option<MetricId>)> {
	vec![
		(ACME_ADMIN, Role::OrganizationAdmin, ACME, None),
		(ACME_REPORTER, Role::Reporter, ACME, Some(EMISSIONS)),
		(BOREALIS_ADMIN, Role::OrganizationAdmin, BOREALIS, None),
		(COLDLINE_ADMIN, Role::OrganizationAdmin, 2, None),
		(DELTA_ADMIN, Role::OrganizationAdmin, 3, None),
		(AUDITOR, Role::Auditor, 3, None),
	]
}

pub struct MockPermissions;
impl Permissions<u64> for MockPermissions {
	fn may(who: &u64, action: Action, target: &Target) -> bool {
		Role::ALL.iter().any(|role| permits(*role, action) && Self::has_role(who, *role, target))
	}
	fn has_role(who: &u64, role: Role, target: &Target) -> bool {
		Grants::get().iter().any(|(w, r, o, metric)| {
			w == who
				&& *r == role
				&& target.organization == Some(*o)
				&& metric.map_or(true, |m| target.metric == Some(m))
		}) || ConsortiumGrants::get().iter().any(|(w, r, scope)| {
			w == who && *r == role && scope.map_or(true, |m| target.metric == Some(m))
		})
	}
	fn organization_of(who: &u64) -> Option<OrganizationId> {
		Grants::get().iter().find(|(w, ..)| w == who).map(|(_, _, o, _)| *o)
	}
	fn is_active(_: OrganizationId) -> bool {
		true
	}
	fn may_weight() -> Weight {
		Weight::zero()
	}
}

pub struct MockRecords;
impl PerformanceData<u64> for MockRecords {
	fn aggregate(_: OrganizationId, _: MetricId, _: &[u8], _: u64) -> Option<Aggregate> {
		None
	}
	fn aggregate_of(_: MetricId, _: &[u8], _: u64, _: &[u64]) -> Option<Aggregate> {
		None
	}
	fn period_of(metric: MetricId, time: u64) -> Option<u64> {
		(metric == EMISSIONS).then_some(time / DAY)
	}
	fn period_ms(metric: MetricId) -> Option<u64> {
		(metric == EMISSIONS).then_some(DAY)
	}
	fn scale_of(metric: MetricId) -> Option<u8> {
		(metric == EMISSIONS).then_some(1)
	}
	fn record(id: u64) -> Option<Target> {
		match id {
			ACME_RECORD => Some(Target::organization(ACME).metric(EMISSIONS)),
			BOREALIS_RECORD => Some(Target::organization(BOREALIS).metric(EMISSIONS)),
			_ => None,
		}
	}
	fn read_weight() -> Weight {
		Weight::zero()
	}
}

pub struct Clock;
impl UnixTime for Clock {
	fn now() -> core::time::Duration {
		core::time::Duration::from_millis(Now::get())
	}
}

impl pallet_disclosure::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Permissions = MockPermissions;
	type Records = MockRecords;
	type Clock = Clock;
	type CouncilOrigin = EnsureRoot<u64>;
	type RequiredApprovals = ConstU32<2>;
	type MaxFields = ConstU32<64>;
	type MaxRequestedFields = ConstU32<8>;
	type MaxFieldLength = ConstU32<64>;
	type MaxSubjectLength = ConstU32<32>;
	type MaxGrantDuration = ConstU64<100>;
	type MaxOpenRequests = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockPermissions;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockPermissions {
	fn grant(who: &u64, role: Role) -> OrganizationId {
		Grants::mutate(|g| g.push((*who, role, ACME, None)));
		ACME
	}
	fn metric_and_record() -> (MetricId, crate::RecordId) {
		(EMISSIONS, ACME_RECORD)
	}
	fn auditor(who: &u64) {
		ConsortiumGrants::mutate(|g| g.push((*who, Role::Auditor, None)));
	}
	fn other_admin(index: u32) -> u64 {
		let who = 1_000 + index as u64;
		Grants::mutate(|g| g.push((who, Role::OrganizationAdmin, 100 + index, None)));
		who
	}
}

pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> TestState {
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		Grants::set(default_grants());
		ConsortiumGrants::set(vec![]);
		Now::set(10 * DAY + 1);
		let mut ext = TestState::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			Disclosure::do_try_state().expect("invariants hold");
		});
	}
}
