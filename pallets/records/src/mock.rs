//! A test runtime: System and records, with permissions kept in a simple table and a settable
//! clock. Accounts are `AccountId32` so that devices sign with real keys.

use crate as pallet_records;
use crate::{GenesisMetric, ValueType};
use frame::{
	deps::{
		sp_core::{sr25519, Pair},
		sp_runtime::{traits::IdentityLookup, AccountId32, BuildStorage, MultiSignature},
	},
	prelude::*,
	runtime::prelude::*,
	testing_prelude::*,
	traits::UnixTime,
};
use pallet_permissions::policy::permits;
use perfledger_primitives::{Action, MetricId, OrganizationId, Permissions, Region, Role, Target};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub struct Test {
		System: frame_system,
		Records: pallet_records,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId32;
	type Lookup = IdentityLookup<AccountId32>;
}

pub fn account(n: u8) -> AccountId32 {
	AccountId32::new([n; 32])
}

/// Acme's admin, reporter and device manager; Borealis's admin and reporter; a stranger.
pub const ACME_ADMIN: u8 = 1;
pub const ACME_REPORTER: u8 = 2;
pub const ACME_DEVICES: u8 = 3;
pub const BOREALIS_ADMIN: u8 = 4;
pub const BOREALIS_REPORTER: u8 = 5;
pub const STRANGER: u8 = 9;
pub const ACME: OrganizationId = 0;
pub const BOREALIS: OrganizationId = 1;

parameter_types! {
	/// Who holds which role in which organization, optionally limited to a region.
	pub static Grants: Vec<(AccountId32, Role, OrganizationId, Option<Region>)> = vec![];
	/// Grants limited to some metrics: a grant of (who, role) listed here covers only the
	/// metrics listed for it; a grant not listed covers every metric.
	pub static MetricScopes: Vec<(AccountId32, Role, MetricId)> = vec![];
	/// Organizations suspended: their grants do not hold.
	pub static Suspended: Vec<OrganizationId> = vec![];
	/// The clock, in ms since the Unix epoch.
	pub static Now: u64 = 1_000_000_000;
	/// The metrics an active agreement settles by.
	pub static ReliedOn: Vec<MetricId> = vec![];
	/// What the `OnRecorded` hook was told: (record, organization, metric, subject, value).
	pub static Recorded: Vec<(u64, OrganizationId, MetricId, Vec<u8>, i128)> = vec![];
}

/// Keeps what the hook is told in `Recorded`.
pub struct MockObserver;
impl perfledger_primitives::OnRecorded for MockObserver {
	fn on_recorded(
		record: u64,
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		value: i128,
	) -> Weight {
		Recorded::mutate(|seen| seen.push((record, organization, metric, subject.to_vec(), value)));
		Weight::from_parts(7, 0)
	}
	/// What the calls reserve; they refund all but the 7 used.
	fn weight() -> Weight {
		Weight::from_parts(100, 0)
	}
}

pub fn default_grants() -> Vec<(AccountId32, Role, OrganizationId, Option<Region>)> {
	vec![
		(account(ACME_ADMIN), Role::OrganizationAdmin, ACME, None),
		(account(ACME_REPORTER), Role::Reporter, ACME, None),
		(account(ACME_DEVICES), Role::DeviceManager, ACME, None),
		(account(BOREALIS_ADMIN), Role::OrganizationAdmin, BOREALIS, None),
		(account(BOREALIS_REPORTER), Role::Reporter, BOREALIS, Some(Region(*b"FI"))),
	]
}

pub struct MockPermissions;
impl Permissions<AccountId32> for MockPermissions {
	fn may(who: &AccountId32, action: Action, target: &Target) -> bool {
		Role::ALL.iter().any(|role| permits(*role, action) && Self::has_role(who, *role, target))
	}
	fn has_role(who: &AccountId32, role: Role, target: &Target) -> bool {
		let scoped: Vec<MetricId> = MetricScopes::get()
			.into_iter()
			.filter(|(w, r, _)| w == who && *r == role)
			.map(|(_, _, metric)| metric)
			.collect();
		let metric_ok =
			scoped.is_empty() || target.metric.is_some_and(|metric| scoped.contains(&metric));
		Grants::get().iter().any(|(w, r, o, region)| {
			w == who
				&& *r == role
				&& target.organization == Some(*o)
				&& Self::is_active(*o)
				&& region.map_or(true, |reg| target.region == Some(reg))
		}) && metric_ok
	}
	fn organization_of(who: &AccountId32) -> Option<OrganizationId> {
		Grants::get().iter().find(|(w, ..)| w == who).map(|(_, _, o, _)| *o)
	}
	fn is_active(organization: OrganizationId) -> bool {
		organization <= BOREALIS && !Suspended::get().contains(&organization)
	}
	fn may_weight() -> Weight {
		Weight::zero()
	}
}

pub struct Clock;
impl UnixTime for Clock {
	fn now() -> core::time::Duration {
		core::time::Duration::from_millis(Now::get())
	}
}

/// The metrics in `ReliedOn` are relied on.
pub struct MockReliance;
impl perfledger_primitives::MetricReliance for MockReliance {
	fn relied_on(metric: MetricId) -> bool {
		ReliedOn::get().contains(&metric)
	}
}

impl pallet_records::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Permissions = MockPermissions;
	type Clock = Clock;
	type MetricReliance = MockReliance;
	type OnRecorded = MockObserver;
	type Signature = MultiSignature;
	type MaxFutureDrift = ConstU64<60_000>;
	type MaxNameLength = ConstU32<32>;
	type MaxUnitLength = ConstU32<8>;
	type MaxSubjectLength = ConstU32<32>;
	type MaxParents = ConstU32<4>;
	type MaxReasonLength = ConstU32<32>;
	type MaxUriLength = ConstU32<32>;
	type MaxDeviceMetrics = ConstU32<2>;
	type ReadingPriority = ConstU64<0>;
	type ReadingLongevity = ConstU64<8>;
	type MaxReadingsPerBlock = ConstU32<3>;
	/// Root stands in for the council.
	type ForceOrigin = frame_system::EnsureRoot<AccountId32>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockPermissions;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId32> for MockPermissions {
	fn grant(who: &AccountId32, role: Role) -> OrganizationId {
		Grants::mutate(|g| g.push((who.clone(), role, ACME, None)));
		ACME
	}
}

/// Lead time (h, 2 decimals, 0 to 1,000.00, daily, reporters) and temperature (Cel, 1 decimal,
/// -40.0 to 30.0, hourly, devices only), both Acme's.
pub const LEAD_TIME: u32 = 0;
pub const TEMPERATURE: u32 = 1;
pub const DAY: u64 = 86_400_000;
pub const HOUR: u64 = 3_600_000;

fn genesis_metric(
	id: u32,
	name: &str,
	unit: &str,
	scale: u8,
	min: i128,
	max: i128,
	period_ms: u64,
	device_only: bool,
) -> GenesisMetric {
	GenesisMetric {
		id,
		owner: ACME,
		name: name.into(),
		unit: unit.into(),
		value_type: ValueType::Decimal { scale },
		min,
		max,
		period_ms,
		reporters: vec![Role::Reporter],
		device_only,
	}
}

/// The device key used in tests.
pub fn device_pair(seed: u8) -> sr25519::Pair {
	sr25519::Pair::from_seed(&[seed; 32])
}

pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> TestState {
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			records: pallet_records::GenesisConfig {
				metrics: vec![
					genesis_metric(LEAD_TIME, "Lead time", "h", 2, 0, 100_000, DAY, false),
					genesis_metric(TEMPERATURE, "Temperature", "Cel", 1, -400, 300, HOUR, true),
				],
				_marker: Default::default(),
			},
		}
		.build_storage()
		.unwrap();
		Grants::set(default_grants());
		MetricScopes::set(vec![]);
		Suspended::set(vec![]);
		Now::set(1_000_000_000);
		Recorded::set(vec![]);
		let mut ext = TestState::new(storage);
		ext.register_extension(sp_keystore::KeystoreExt::new(
			sp_keystore::testing::MemoryKeystore::new(),
		));
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			Records::do_try_state().expect("invariants hold");
		});
	}
}
