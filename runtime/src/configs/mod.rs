//! Configuration of every pallet in the runtime.
//!
//! Each pallet's `Config` is implemented here; the council's origins, which other pallets
//! reuse, are in [`origins`].

pub mod attribution;
pub mod disclosure;
pub mod governance;
pub mod origins;
pub mod permissions;
pub mod records;
pub mod sla_escrow;

use frame_support::traits::fungible::HoldConsideration;
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, IdentityFee, Weight,
	},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, FixedU128, Perbill};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask,
	System, DAYS, EXISTENTIAL_DEPOSIT, MICRO_UNIT, SLOT_DURATION, SS58_PREFIX, VERSION,
};
pub use origins::{CouncilInstance, EnsureCouncilMajority, EnsureCouncilSupermajority};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute in a six-second block.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// Blocks of at most 5 MiB, of which normal transactions may fill 75%.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// ParityDB is the node's database.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	/// Everything but the calls that would bypass the consortium's admission rules.
	type BaseCallFilter = governance::BaseCallFilter;
}

/// The most validators the chain can have (Aura and GRANDPA share the bound).
pub const MAX_AUTHORITIES: u32 = 100;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	/// polkadot-sdk's measured weights (the inherent that sets the time, every block).
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
	/// Ten micro-PLG a byte: a 200-byte record pays 0.002 PLG for its length, a full block
	/// of normal transactions (3.75 MiB) about 39 PLG. Length is what every node stores for
	/// as long as the chain runs; one picounit a byte (the identity fee) made a full block cost
	/// a millionth of a PLG.
	pub const TransactionByteFee: Balance = 10 * MICRO_UNIT;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

/// The most organizations the council can seat. Shared by `Council` and `CouncilMembership`
/// so that the two never disagree.
pub const COUNCIL_MAX_MEMBERS: u32 = 100;

parameter_types! {
	/// A council motion that has not passed after three days can be closed as failed.
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	/// A motion may use at most half of a block's weight.
	pub MaxCouncilProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
	/// While fewer than ten motions are open, proposing one holds nothing.
	pub const FreeCouncilMotions: u32 = 10;
	/// The eleventh open motion holds 10 PLG from its proposer; each one more doubles it.
	pub const CouncilMotionDeposit: Balance = 10 * super::UNIT;
	pub const CouncilMotionDepositRatio: FixedU128 = FixedU128::from_u32(2);
	pub const CouncilMotionHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Council(pallet_collective::HoldReason::ProposalSubmission);
}

/// What proposing a council motion holds: nothing while fewer than [`FreeCouncilMotions`] are
/// open, then 10 PLG, doubling with each further open motion (the 30th open motion would hold
/// over five million PLG). A member cannot fill the council's [`pallet_collective::Config::MaxProposals`]
/// slots with motions of its own and keep the others from proposing. The proposer takes the
/// deposit back with `council.releaseProposalCost(hash)` once the motion is closed.
pub type CouncilMotionConsideration = HoldConsideration<
	AccountId,
	Balances,
	CouncilMotionHoldReason,
	pallet_collective::deposit::Delayed<
		FreeCouncilMotions,
		pallet_collective::deposit::Geometric<CouncilMotionDepositRatio, CouncilMotionDeposit>,
	>,
	u32,
>;

impl pallet_collective::Config<CouncilInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<COUNCIL_MAX_MEMBERS>;
	/// An abstaining member votes no: a motion passes only with the ayes its origin asks for.
	type DefaultVote = origins::AbstainIsNay;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Council seats change only through `CouncilMembership`.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = EnsureCouncilSupermajority;
	type KillOrigin = EnsureCouncilSupermajority;
	type Consideration = CouncilMotionConsideration;
}

/// Seats change only through `pallet-consortium` (admission, removal, leaving, prime
/// rotation), which calls this pallet with the root origin no account holds.
impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = governance::MembershipOrigin;
	type RemoveOrigin = governance::MembershipOrigin;
	type SwapOrigin = governance::MembershipOrigin;
	type ResetOrigin = governance::MembershipOrigin;
	type PrimeOrigin = governance::MembershipOrigin;
	type MembershipInitialized = crate::Council;
	type MembershipChanged = crate::Council;
	type MaxMembers = ConstU32<COUNCIL_MAX_MEMBERS>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}
