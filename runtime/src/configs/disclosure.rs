//! Selective disclosure: document commitments, disclosure grants with approvals, field checks
//! and threshold proofs.

use super::origins::EnsureCouncilMajority;
use crate::{BlockNumber, Permissions, Records, Runtime, RuntimeEvent, Timestamp, DAYS};
use frame_support::traits::ConstU32;

impl pallet_disclosure::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Permissions = Permissions;
	type Records = Records;
	type Clock = Timestamp;
	/// A council majority counts as one approver of a grant of sensitive data.
	type CouncilOrigin = EnsureCouncilMajority;
	/// Two approvers (admins of two other organizations, or one and the council).
	type RequiredApprovals = ConstU32<2>;
	/// A proof has at most 10 hashes.
	type MaxFields = ConstU32<1_024>;
	type MaxRequestedFields = ConstU32<64>;
	type MaxFieldLength = ConstU32<1_024>;
	/// As in records.
	type MaxSubjectLength = ConstU32<64>;
	/// A year.
	type MaxGrantDuration = MaxGrantDuration;
	type MaxOpenRequests = ConstU32<100>;
	type WeightInfo = crate::weights::pallet_disclosure::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::ThroughPermissionsAndRecords;
}

frame_support::parameter_types! {
	/// A year of blocks.
	pub const MaxGrantDuration: BlockNumber = 365 * DAYS;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use crate::{
		configs::records::benchmark_helper::GrantThroughPermissions, AccountId, Records, Runtime,
		RuntimeOrigin,
	};
	use pallet_records::BenchmarkHelper as _;
	use perfledger_primitives::{MetricId, OrganizationId, OrganizationLifecycle, Region, Role};

	/// Grants roles in the records benchmarks' organization, defines a metric and makes a
	/// record through the records pallet's calls, and admits other organizations.
	pub struct ThroughPermissionsAndRecords;
	impl pallet_disclosure::BenchmarkHelper<AccountId> for ThroughPermissionsAndRecords {
		fn grant(who: &AccountId, role: Role) -> OrganizationId {
			GrantThroughPermissions::grant(who, role)
		}

		fn metric_and_record() -> (MetricId, u64) {
			let reporter: AccountId = frame_benchmarking::account("disclosure-reporter", 0, 0);
			let organization = GrantThroughPermissions::grant(&reporter, Role::Reporter);
			if let Some((id, record)) = pallet_records::Records::<Runtime>::iter()
				.find(|(_, record)| record.organization == organization)
			{
				return (record.metric, id);
			}
			let admin: AccountId = frame_benchmarking::account("disclosure-admin", 0, 0);
			GrantThroughPermissions::grant(&admin, Role::OrganizationAdmin);
			let metric = pallet_records::NextMetricId::<Runtime>::get();
			let spec = pallet_records::MetricSpec {
				name: b"Emissions".to_vec().try_into().expect("short"),
				unit: b"t".to_vec().try_into().expect("short"),
				value_type: pallet_records::ValueType::Integer,
				min: 0,
				max: 1_000_000,
				period_ms: 86_400_000,
				reporters: alloc::vec![Role::Reporter].try_into().expect("one role"),
				device_only: false,
			};
			Records::define_metric(RuntimeOrigin::signed(admin), spec).expect("the admin defines");
			let record = pallet_records::NextRecordId::<Runtime>::get();
			let input = pallet_records::RecordInput {
				metric,
				subject: b"plant".to_vec().try_into().expect("short"),
				value: pallet_records::Value { amount: 950, scale: 0 },
				time: 0,
				document: sp_core::H256::repeat_byte(9),
				region: None,
				parents: Default::default(),
			};
			Records::submit_record(RuntimeOrigin::signed(reporter), input)
				.expect("the reporter records");
			(metric, record)
		}

		fn auditor(who: &AccountId) {
			use frame_support::traits::EnsureOrigin;
			let council = <crate::configs::origins::EnsureCouncilMajority as EnsureOrigin<
				RuntimeOrigin,
			>>::try_successful_origin()
			.expect("a council majority origin exists under benchmarks");
			crate::Permissions::grant_consortium_role(
				council,
				who.clone(),
				Role::Auditor,
				Default::default(),
				None,
			)
			.expect("the council grants the auditor role");
		}

		fn other_admin(index: u32) -> AccountId {
			let admin: AccountId = frame_benchmarking::account("disclosure-approver", index, 0);
			<crate::Permissions as OrganizationLifecycle<_>>::on_admitted(
				&admin,
				b"Benchmark Partner",
				Region(*b"FI"),
			)
			.expect("a partner organization");
			admin
		}
	}
}
