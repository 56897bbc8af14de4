//! Records: metric definitions, hash-linked records, device readings, batches, aggregates.

use super::origins::EnsureCouncilMajority;
use crate::{Permissions, Runtime, RuntimeEvent, Signature, Timestamp};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
};
use sp_runtime::transaction_validity::TransactionPriority;

parameter_types! {
	/// Device readings pay no fee: they come after every signed transaction (the transaction
	/// payment pallet gives those a priority of at least 1), so a device that streams can never
	/// push a paying transaction, a council motion or the `retire_device` that would stop it
	/// out of a block or the pool.
	pub const ReadingPriority: TransactionPriority = 0;
}

impl pallet_records::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Permissions = Permissions;
	type Clock = Timestamp;
	/// The SLA escrow's active agreements: a metric one settles by keeps what its records may
	/// hold.
	type MetricReliance = crate::SlaEscrow;
	/// Milestone rewards wait on records of models' evaluation metrics.
	type OnRecorded = crate::Attribution;
	type Signature = Signature;
	/// Five minutes of clock drift.
	type MaxFutureDrift = ConstU64<300_000>;
	type MaxNameLength = ConstU32<64>;
	type MaxUnitLength = ConstU32<16>;
	type MaxSubjectLength = ConstU32<64>;
	type MaxParents = ConstU32<16>;
	type MaxReasonLength = ConstU32<256>;
	type MaxUriLength = ConstU32<256>;
	type MaxDeviceMetrics = ConstU32<16>;
	type ReadingPriority = ReadingPriority;
	/// Sixteen blocks (about a minute and a half): a reading not included by then is dropped,
	/// and the device sends it again.
	type ReadingLongevity = ConstU64<16>;
	/// At most 500 readings a block, about a third of what a block's weight takes: the rest
	/// stays for signed transactions.
	type MaxReadingsPerBlock = ConstU32<500>;
	/// A council majority retires any device.
	type ForceOrigin = EnsureCouncilMajority;
	type WeightInfo = crate::weights::pallet_records::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::GrantThroughPermissions;
}

#[cfg(feature = "runtime-benchmarks")]
pub(crate) mod benchmark_helper {
	use crate::{AccountId, Permissions, RuntimeOrigin};
	use perfledger_primitives::{OrganizationId, OrganizationLifecycle, Region, Role};

	/// Grants roles in one benchmark organization, through the permissions pallet's own calls.
	pub struct GrantThroughPermissions;
	impl pallet_records::BenchmarkHelper<AccountId> for GrantThroughPermissions {
		fn grant(who: &AccountId, role: Role) -> OrganizationId {
			let owner: AccountId = frame_benchmarking::account("records-owner", 0, 0);
			let organization = <Permissions as OrganizationLifecycle<_>>::on_admitted(
				&owner,
				b"Benchmark Logistics",
				Region(*b"DE"),
			)
			.expect("the benchmark organization exists");
			if *who != owner {
				Permissions::grant_role(
					RuntimeOrigin::signed(owner),
					who.clone(),
					role,
					Default::default(),
					None,
				)
				.expect("the owner grants organization roles");
			}
			organization
		}
	}
}
