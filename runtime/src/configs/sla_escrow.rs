//! SLA escrow: agreements whose payments are held and settled from the records.

use super::{origins::EnsureCouncilMajority, RuntimeBlockWeights};
use crate::{
	Balances, Disclosure, Permissions, Records, Runtime, RuntimeEvent, RuntimeHoldReason,
	Timestamp, MILLI_SECS_PER_BLOCK,
};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
	weights::Weight,
};
use sp_runtime::Perbill;

parameter_types! {
	/// Settlements and payments take at most a tenth of a block.
	pub MaxHookWeight: Weight = Perbill::from_percent(10) * RuntimeBlockWeights::get().max_block;
}

impl pallet_sla_escrow::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Permissions = Permissions;
	type Records = Records;
	/// The provider's threshold proofs stand in where an agreement says so.
	type Proofs = Disclosure;
	type Clock = Timestamp;
	/// A council majority rules on disputes.
	type CouncilOrigin = EnsureCouncilMajority;
	/// A minute at least.
	type MinDisputeWindow = ConstU64<60_000>;
	/// Thirty days at most.
	type MaxDisputeWindow = ConstU64<{ 30 * 86_400_000 }>;
	/// Seven days at most for late records.
	type MaxGrace = ConstU64<{ 7 * 86_400_000 }>;
	/// A failed payment is tried again an hour later.
	type PaymentRetryMs = ConstU64<3_600_000>;
	/// A block.
	type BucketMs = ConstU64<MILLI_SECS_PER_BLOCK>;
	type MaxJobsPerBucket = ConstU32<256>;
	type MaxHookWeight = MaxHookWeight;
	/// An hour of buckets per block when catching up after a halt.
	type MaxBucketSteps = ConstU32<600>;
	/// A year of daily periods.
	type MaxPeriods = ConstU32<366>;
	type MaxTiers = ConstU32<8>;
	type MaxReporters = ConstU32<16>;
	/// As in records.
	type MaxSubjectLength = ConstU32<64>;
	type WeightInfo = crate::weights::pallet_sla_escrow::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::OrganizationsMetricsRecords;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use crate::{AccountId, Permissions, Records, RuntimeOrigin};
	use perfledger_primitives::{MetricId, OrganizationLifecycle, Region, Role};

	fn admin(index: u32) -> AccountId {
		frame_benchmarking::account("sla-admin", index, 0)
	}

	/// Admits organizations, defines a metric and records through the pallets' own calls.
	pub struct OrganizationsMetricsRecords;
	impl pallet_sla_escrow::BenchmarkHelper<AccountId> for OrganizationsMetricsRecords {
		fn admin(index: u32) -> AccountId {
			let who = admin(index);
			<Permissions as OrganizationLifecycle<_>>::on_admitted(
				&who,
				b"SLA Partner",
				Region(*b"DE"),
			)
			.expect("a benchmark organization");
			who
		}

		fn metric() -> MetricId {
			let metric = pallet_records::NextMetricId::<crate::Runtime>::get();
			let spec = pallet_records::MetricSpec {
				name: b"On-time rate".to_vec().try_into().expect("short"),
				unit: b"%".to_vec().try_into().expect("short"),
				value_type: pallet_records::ValueType::Integer,
				min: 0,
				max: 1_000_000,
				period_ms: 86_400_000,
				reporters: alloc::vec![Role::Reporter].try_into().expect("one role"),
				device_only: false,
			};
			Records::define_metric(RuntimeOrigin::signed(Self::admin(1)), spec)
				.expect("the provider's admin defines");
			metric
		}

		fn record(reporter: &AccountId, subject: &[u8], value: i128) {
			let provider = admin(1);
			Permissions::grant_role(
				RuntimeOrigin::signed(provider),
				reporter.clone(),
				Role::Reporter,
				Default::default(),
				None,
			)
			.expect("the provider's admin grants");
			let input = pallet_records::RecordInput {
				metric: pallet_records::NextMetricId::<crate::Runtime>::get() - 1,
				subject: subject.to_vec().try_into().expect("within the records' bound"),
				value: pallet_records::Value { amount: value, scale: 0 },
				time: 0,
				document: sp_core::H256(sp_io::hashing::blake2_256(&codec::Encode::encode(&(
					reporter, value,
				)))),
				region: None,
				parents: Default::default(),
			};
			Records::submit_record(RuntimeOrigin::signed(reporter.clone()), input)
				.expect("the reporter records");
		}
	}
}
