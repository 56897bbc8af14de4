//! Attribution: artifacts of shared AI models, their lineage and licenses, contribution scores,
//! royalty pools.

use crate::{Balances, Permissions, Runtime, RuntimeEvent, Timestamp, DAYS, MINUTES};
use frame_support::{parameter_types, traits::ConstU32, PalletId};
use sp_runtime::Permill;

parameter_types! {
	/// The pallet's account keeps every pool's and milestone's funds.
	pub const AttributionPalletId: PalletId = PalletId(*b"perf/atr");
	/// An evaluator a quarter or more away from the final scores is flagged.
	pub const OutlierDistance: Permill = Permill::from_percent(25);
}

impl pallet_attribution::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Permissions = Permissions;
	type Clock = Timestamp;
	type PalletId = AttributionPalletId;
	/// A checkpoint with its parent checkpoint, datasets, code and configuration.
	type MaxParents = ConstU32<16>;
	/// An `ipfs://` CIDv1 (base32, about 66 bytes) or an `ar://` id, with room to spare.
	type MaxUriLength = ConstU32<128>;
	type MaxRoyalties = ConstU32<16>;
	type MaxContributors = ConstU32<64>;
	type MaxEvaluators = ConstU32<16>;
	/// A score is a median of two evaluators at least: one evaluator alone decides nothing.
	type MinEvaluators = ConstU32<2>;
	/// A minute at least for each phase, so that a model's organization cannot close a round
	/// before the evaluators it does not like have committed...
	type MinPhase = ConstU32<{ MINUTES }>;
	/// ...and four weeks at most.
	type MaxPhase = ConstU32<{ 28 * DAYS }>;
	type OutlierDistance = OutlierDistance;
	type MaxMilestonesPerModel = ConstU32<4>;
	/// A year.
	type MaxMilestoneBlocks = ConstU32<{ 365 * DAYS }>;
	type WeightInfo = crate::weights::pallet_attribution::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::Members;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use crate::{AccountId, Balances, Permissions, RuntimeOrigin};
	use frame_support::traits::fungible::Mutate;
	use perfledger_primitives::{OrganizationLifecycle, Region, Role};

	/// Admits an organization per member, whose admin grants itself the roles attribution asks
	/// for, through the permissions pallet's own calls.
	pub struct Members;
	impl pallet_attribution::BenchmarkHelper<AccountId> for Members {
		fn member(index: u32) -> AccountId {
			let who: AccountId = frame_benchmarking::account("attribution-member", index, 0);
			if pallet_permissions::OwnedOrganization::<crate::Runtime>::get(&who).is_none() {
				<Permissions as OrganizationLifecycle<_>>::on_admitted(
					&who,
					b"Model Partner",
					Region(*b"DE"),
				)
				.expect("a benchmark organization");
				for role in [Role::ModelContributor, Role::Evaluator] {
					Permissions::grant_role(
						RuntimeOrigin::signed(who.clone()),
						who.clone(),
						role,
						Default::default(),
						None,
					)
					.expect("the admin grants itself");
				}
				let _ = Balances::mint_into(&who, crate::EXISTENTIAL_DEPOSIT * 1_000);
			}
			who
		}
	}
}
