//! The consortium's governance: council seats, validators, node authorization and runtime
//! upgrades, each changed only by a council motion.

use super::{
	origins::{EnsureCouncilMajority, EnsureCouncilSupermajority},
	COUNCIL_MAX_MEMBERS, MAX_AUTHORITIES,
};
use crate::{
	AccountId, Balance, Balances, BlockNumber, CouncilMembership, Runtime, RuntimeEvent,
	RuntimeHoldReason, RuntimeOrigin, SessionKeys, ValidatorSet, DAYS, UNIT,
};
use frame_support::{parameter_types, traits::ConstU32};
use frame_system::RawOrigin;
use perfledger_primitives::CouncilSeats;
use sp_runtime::{traits::ConvertInto, DispatchResult};

/// The council's seats are `CouncilMembership`'s members. Only this adapter changes them,
/// with the root origin that no account can hold: every change passes through the
/// consortium pallet's checks (admission by motion, minimum size).
pub struct CouncilSeatsOfMembership;

/// The outcome of a membership call made with the root origin, without its post-dispatch info.
fn without_post_info(
	result: sp_runtime::DispatchResultWithInfo<frame_support::dispatch::PostDispatchInfo>,
) -> DispatchResult {
	result.map(|_| ()).map_err(|e| e.error)
}

impl CouncilSeats<AccountId> for CouncilSeatsOfMembership {
	fn members() -> alloc::vec::Vec<AccountId> {
		pallet_membership::Members::<Runtime, pallet_membership::Instance1>::get().into_inner()
	}

	fn add(who: &AccountId) -> DispatchResult {
		without_post_info(CouncilMembership::add_member(RawOrigin::Root.into(), who.clone().into()))
	}

	fn remove(who: &AccountId) -> DispatchResult {
		without_post_info(CouncilMembership::remove_member(
			RawOrigin::Root.into(),
			who.clone().into(),
		))
	}

	fn set_prime(who: &AccountId) -> DispatchResult {
		without_post_info(CouncilMembership::set_prime(RawOrigin::Root.into(), who.clone().into()))
	}

	fn prime() -> Option<AccountId> {
		pallet_membership::Prime::<Runtime, pallet_membership::Instance1>::get()
	}
}

/// Sessions last ten blocks (a minute): a validator set the council changes is active within
/// two rotations. Rotation is cheap with a consortium's few validators.
pub const SESSION_PERIOD: BlockNumber = 10;

parameter_types! {
	pub const SessionPeriod: BlockNumber = SESSION_PERIOD;
	pub const SessionOffset: BlockNumber = 0;
	/// Held while an account has session keys registered.
	pub const SessionKeyDeposit: Balance = UNIT;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

parameter_types! {
	/// The longest delay the council may give a forced GRANDPA change
	/// (`ValidatorSet::recover_finality`): less than a session, so that the change is enacted
	/// before the next session boundary. While a change is pending GRANDPA schedules no other,
	/// and would miss a validator set that changed at that boundary.
	pub const MaxRecoveryDelay: BlockNumber = SESSION_PERIOD - 1;
}

/// Tells GRANDPA that finality stalled, for the council's `ValidatorSet::recover_finality`.
/// `pallet-grandpa` keeps its own way in (`on_stalled`) private: its `note_stalled` call,
/// dispatched here with the root origin that no account holds, is the only one. The council's
/// motion and the validator-set pallet's checks stand before it; GRANDPA's errors pass as they
/// are.
pub struct GrandpaFinalityRecovery;
impl pallet_validator_set::FinalityRecovery<BlockNumber> for GrandpaFinalityRecovery {
	fn note_stalled(delay: BlockNumber, best_finalized: BlockNumber) -> DispatchResult {
		crate::Grandpa::note_stalled(RawOrigin::Root.into(), delay, best_finalized)
	}
}

/// An operator's keys purged as `session.purge_keys` purges them (the key deposit returned),
/// for the validator-set pallet, which refuses validators first: the call filter keeps
/// `session.purge_keys` itself out of reach ([`BaseCallFilter`]).
pub struct SessionKeyPurge;
impl pallet_validator_set::PurgeKeys<AccountId> for SessionKeyPurge {
	fn purge_keys(who: &AccountId) -> DispatchResult {
		use frame_support::traits::UnfilteredDispatchable;
		pallet_session::Call::<Runtime>::purge_keys {}
			.dispatch_bypass_filter(RuntimeOrigin::signed(who.clone()))
			.map(|_| ())
			.map_err(|e| e.error)
	}
}

impl pallet_validator_set::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorOrigin = EnsureCouncilMajority;
	type SessionKeys = crate::Session;
	type KeyPurge = SessionKeyPurge;
	type MaxValidators = ConstU32<MAX_AUTHORITIES>;
	type FinalityRecovery = GrandpaFinalityRecovery;
	type MaxRecoveryDelay = MaxRecoveryDelay;
	type WeightInfo = crate::weights::pallet_validator_set::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::SessionKeysForBenchmarks;
}

impl pallet_node_authorization::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type MaxWellKnownNodes = ConstU32<128>;
	type MaxPeerIdLength = ConstU32<128>;
	type AddOrigin = EnsureCouncilMajority;
	type RemoveOrigin = EnsureCouncilMajority;
	type SwapOrigin = EnsureCouncilMajority;
	type ResetOrigin = EnsureCouncilSupermajority;
	/// Measured with `pallets/node-authorization-benchmarks` (the pallet ships none).
	type WeightInfo = crate::weights::pallet_node_authorization::WeightInfo<Runtime>;
}

parameter_types! {
	/// An applicant holds 100 PLG until the council decides.
	pub const ApplicationDeposit: Balance = 100 * UNIT;
	/// The prime member leads for a week.
	pub const LeadershipTerm: BlockNumber = 7 * DAYS;
}

impl pallet_consortium::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ApplicationDeposit = ApplicationDeposit;
	type AdmissionOrigin = EnsureCouncilMajority;
	/// Amending the charter needs two thirds of the council.
	type CharterOrigin = EnsureCouncilSupermajority;
	/// So does a runtime upgrade.
	type UpgradeOrigin = EnsureCouncilSupermajority;
	type Council = CouncilSeatsOfMembership;
	type Organizations = crate::Permissions;
	type MinCouncilSize = ConstU32<3>;
	type MaxCouncilSize = ConstU32<COUNCIL_MAX_MEMBERS>;
	type TermDuration = LeadershipTerm;
	type MaxNameLength = ConstU32<64>;
	type MaxUriLength = ConstU32<256>;
	type WeightInfo = crate::weights::pallet_consortium::WeightInfo<Runtime>;
}

/// Council seats change only through the consortium pallet: direct changes of
/// `CouncilMembership` need root, which no account holds, and a member may not hand its seat
/// to another account (`change_key`), which would bypass admission.
pub type MembershipOrigin = frame_system::EnsureRoot<AccountId>;

/// Whether a call may be dispatched at all.
///
/// - A member may not hand its seat to another account (`change_key`), which would bypass
///   admission.
/// - `session.purge_keys` is out: a validator without keys leaves the next session's set, so
///   purging would shrink the set below `MinValidators` (or empty it and halt block production)
///   without a motion. `validatorSet.purgeKeys` purges for anyone who is not a validator.
/// - Only the council manages which nodes connect: the node owners' own calls of
///   `pallet-node-authorization` are out. `claim_node` would let any account claim a peer id
///   (a candidate's, while the council's motion to add it is pending) and grow a set of
///   claims, and `add_connections` an unbounded set of extra connections.
pub struct BaseCallFilter;
impl frame_support::traits::Contains<crate::RuntimeCall> for BaseCallFilter {
	fn contains(call: &crate::RuntimeCall) -> bool {
		use pallet_node_authorization::Call as Node;
		!matches!(
			call,
			crate::RuntimeCall::CouncilMembership(pallet_membership::Call::change_key { .. })
				| crate::RuntimeCall::Session(pallet_session::Call::purge_keys { .. })
				| crate::RuntimeCall::NodeAuthorization(
					Node::claim_node { .. }
						| Node::remove_claim { .. }
						| Node::transfer_node { .. }
						| Node::add_connections { .. }
						| Node::remove_connections { .. }
				)
		)
	}
}

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmark_helpers {
	use super::*;
	use codec::Encode;

	/// Registers session keys for a benchmark account, as its operator would.
	pub struct SessionKeysForBenchmarks;
	impl pallet_validator_set::BenchmarkHelper<AccountId> for SessionKeysForBenchmarks {
		fn register_session_keys(who: &AccountId) {
			let keys = SessionKeys {
				aura: sp_core::sr25519::Public::from_raw(sp_io::hashing::blake2_256(
					&(b"aura", who).encode(),
				))
				.into(),
				grandpa: sp_core::ed25519::Public::from_raw(sp_io::hashing::blake2_256(
					&(b"gran", who).encode(),
				))
				.into(),
			};
			pallet_session::NextKeys::<Runtime>::insert(who, keys);
		}
	}
}
