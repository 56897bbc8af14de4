//! A test runtime: System, Balances and SLA escrow, with permissions, records and proofs kept in
//! simple tables, and a settable clock. The council is root. A settlement or payment weighs one
//! unit (see `weights.rs`), and a block may spend `HookUnits` of them.

use crate as pallet_sla_escrow;
use frame::{prelude::*, runtime::prelude::*, testing_prelude::*, traits::UnixTime};
use perfledger_primitives::{
	Action, Aggregate, MetricId, OrganizationId, PerformanceData, Permissions, ProvenRange, Role,
	Target, ThresholdClaims,
};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub struct Test {
		System: frame_system,
		Balances: pallet_balances,
		SlaEscrow: pallet_sla_escrow,
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
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// Borealis buys from Acme; Coldline is a third organization; Acme's reporter and device.
pub const BUYER: u64 = 1;
pub const PROVIDER: u64 = 2;
pub const OTHER_ADMIN: u64 = 3;
pub const REPORTER: u64 = 4;
pub const DEVICE: u64 = 5;
pub const UNTRUSTED: u64 = 6;
pub const STRANGER: u64 = 9;
pub const ACME: OrganizationId = 0;
pub const BOREALIS: OrganizationId = 1;

/// On-time delivery rate (%, 2 decimals), daily.
pub const ON_TIME: MetricId = 3;
pub const DAY: u64 = 86_400_000;
pub const START: u64 = 100 * DAY;

parameter_types! {
	pub static Now: u64 = START + 1;
	/// Figures per (metric, subject, period, reporter).
	pub static Figures: Vec<((MetricId, Vec<u8>, u64, u64), Aggregate)> = vec![];
	/// Proven ranges per (organization, metric, subject, period).
	pub static Proven: Vec<((OrganizationId, MetricId, Vec<u8>, u64), ProvenRange)> = vec![];
	/// Settlements and payments a block may run.
	pub static HookUnits: u64 = 100;
	pub MaxHookWeight: Weight = Weight::from_parts(HookUnits::get(), 0);
}

pub fn organization(who: u64) -> Option<OrganizationId> {
	match who {
		BUYER => Some(BOREALIS),
		PROVIDER | REPORTER => Some(ACME),
		OTHER_ADMIN => Some(2),
		_ => None,
	}
}

pub struct MockPermissions;
impl Permissions<u64> for MockPermissions {
	fn may(who: &u64, action: Action, target: &Target) -> bool {
		action == Action::Administer
			&& [BUYER, PROVIDER, OTHER_ADMIN].contains(who)
			&& target.organization == organization(*who)
	}
	fn has_role(who: &u64, role: Role, target: &Target) -> bool {
		role == Role::OrganizationAdmin && Self::may(who, Action::Administer, target)
	}
	fn organization_of(who: &u64) -> Option<OrganizationId> {
		organization(*who)
	}
	fn is_active(_: OrganizationId) -> bool {
		true
	}
	fn may_weight() -> Weight {
		Weight::zero()
	}
}

/// Records `value` by `reporter` about `subject` in `period` (the records pallet's figures).
pub fn record(reporter: u64, subject: &[u8], period: u64, value: i128) {
	Figures::mutate(|figures| {
		let key = (ON_TIME, subject.to_vec(), period, reporter);
		match figures.iter_mut().find(|(k, _)| *k == key) {
			Some((_, a)) => {
				a.count += 1;
				a.sum += value;
				a.min = a.min.min(value);
				a.max = a.max.max(value);
			}
			None => figures.push((
				key,
				Aggregate { count: 1, sum: value, min: value, max: value, superseded: 0 },
			)),
		}
	});
}

pub struct MockRecords;
impl PerformanceData<u64> for MockRecords {
	fn aggregate(_: OrganizationId, _: MetricId, _: &[u8], _: u64) -> Option<Aggregate> {
		None
	}
	fn aggregate_of(
		metric: MetricId,
		subject: &[u8],
		period: u64,
		reporters: &[u64],
	) -> Option<Aggregate> {
		Figures::get()
			.into_iter()
			.filter(|((m, s, p, r), _)| {
				*m == metric && s == subject && *p == period && reporters.contains(r)
			})
			.map(|(_, a)| a)
			.reduce(|a, b| Aggregate {
				count: a.count + b.count,
				sum: a.sum + b.sum,
				min: a.min.min(b.min),
				max: a.max.max(b.max),
				superseded: 0,
			})
	}
	fn period_of(metric: MetricId, time: u64) -> Option<u64> {
		(metric == ON_TIME).then_some(time / DAY)
	}
	fn period_ms(metric: MetricId) -> Option<u64> {
		(metric == ON_TIME).then_some(DAY)
	}
	fn scale_of(metric: MetricId) -> Option<u8> {
		(metric == ON_TIME).then_some(2)
	}
	fn record(_: u64) -> Option<Target> {
		None
	}
	fn read_weight() -> Weight {
		Weight::zero()
	}
}

pub struct MockProofs;
impl ThresholdClaims for MockProofs {
	fn proven_range(
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		period: u64,
	) -> Option<ProvenRange> {
		Proven::get()
			.into_iter()
			.find(|((o, m, s, p), _)| {
				*o == organization && *m == metric && s == subject && *p == period
			})
			.map(|(_, r)| r)
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

impl pallet_sla_escrow::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Permissions = MockPermissions;
	type Records = MockRecords;
	type Proofs = MockProofs;
	type Clock = Clock;
	type CouncilOrigin = EnsureRoot<u64>;
	type MinDisputeWindow = ConstU64<60_000>;
	type MaxDisputeWindow = ConstU64<86_400_000>;
	/// An hour.
	type MaxGrace = ConstU64<3_600_000>;
	/// Ten minutes.
	type PaymentRetryMs = ConstU64<600_000>;
	type BucketMs = ConstU64<6_000>;
	type MaxJobsPerBucket = ConstU32<4>;
	type MaxHookWeight = MaxHookWeight;
	/// Enough for the tests to jump a day at once (a chain steps about one bucket a block).
	type MaxBucketSteps = ConstU32<100_000>;
	type MaxPeriods = ConstU32<12>;
	type MaxTiers = ConstU32<4>;
	type MaxReporters = ConstU32<4>;
	type MaxSubjectLength = ConstU32<32>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockPermissions;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockPermissions {
	fn admin(index: u32) -> u64 {
		[BUYER, PROVIDER, OTHER_ADMIN][index as usize % 3]
	}
	fn metric() -> MetricId {
		ON_TIME
	}
	fn record(reporter: &u64, subject: &[u8], value: i128) {
		record(*reporter, subject, Now::get() / DAY, value)
	}
}

pub const ENDOWMENT: u64 = 1_000_000;

pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> TestState {
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			balances: pallet_balances::GenesisConfig {
				balances: [BUYER, PROVIDER, OTHER_ADMIN, STRANGER]
					.into_iter()
					.map(|who| (who, ENDOWMENT))
					.collect(),
				..Default::default()
			},
		}
		.build_storage()
		.unwrap();
		Now::set(START + 1);
		Figures::set(vec![]);
		Proven::set(vec![]);
		HookUnits::set(100);
		let mut ext = TestState::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			SlaEscrow::do_try_state().expect("invariants hold");
		});
	}
}

/// Moves the clock to `time` (ms) and runs the next block's `on_initialize`; returns its weight.
pub fn block_at(time: u64) -> Weight {
	Now::set(time);
	System::set_block_number(System::block_number() + 1);
	<SlaEscrow as Hooks<u64>>::on_initialize(System::block_number())
}
