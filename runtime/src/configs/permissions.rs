//! Permissions: organizations, roles and grants, and the gate on every signed transaction.

use super::origins::EnsureCouncilMajority;
use crate::{configs::CouncilInstance, AccountId, Runtime, RuntimeCall, RuntimeEvent};
use frame_support::traits::{ConstU32, Contains};

/// The accounts the gate lets transact without a grant: the council's members.
///
/// Running a validator is no privilege: a validator's account is its member's, and when the
/// member leaves or is removed, its validator stays in the session's set until the council
/// removes it (at a session boundary). Had validators passed the gate, a removed member would
/// have kept transacting through its validator. An operator's calls (`session.setKeys`) are
/// open to anyone ([`JoiningCalls`]).
pub struct CouncilMembers;
impl Contains<AccountId> for CouncilMembers {
	fn contains(who: &AccountId) -> bool {
		pallet_collective::Members::<Runtime, CouncilInstance>::get().contains(who)
	}
}

/// The longest session-keys ownership proof an outsider may send: the proof is one signature
/// per key (Aura's sr25519 and GRANDPA's ed25519, 64 bytes each, with their SCALE framing).
/// `set_keys` takes any length; without this bound an outsider's transaction could be as long as
/// a block.
pub const MAX_KEYS_PROOF: usize = 256;

/// The calls the gate lets any account submit: how an outsider joins the consortium (applying,
/// withdrawing its application, setting a candidate validator's session keys before the
/// council's vote, with a proof of at most [`MAX_KEYS_PROOF`] bytes, and taking them back with
/// their deposit if it is not admitted), and applying a runtime
/// upgrade the council authorized, which anyone may.
pub struct JoiningCalls;
impl Contains<RuntimeCall> for JoiningCalls {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Session(pallet_session::Call::set_keys { proof, .. }) => {
				proof.len() <= MAX_KEYS_PROOF
			}
			_ => matches!(
				call,
				RuntimeCall::Consortium(
					pallet_consortium::Call::apply { .. }
						| pallet_consortium::Call::withdraw_application { .. }
				) | RuntimeCall::ValidatorSet(pallet_validator_set::Call::purge_keys { .. })
					| RuntimeCall::System(frame_system::Call::apply_authorized_upgrade { .. })
			),
		}
	}
}

impl pallet_permissions::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Consortium roles, suspensions and reinstatements are council motions, by majority.
	type CouncilOrigin = EnsureCouncilMajority;
	type Privileged = CouncilMembers;
	type OpenCalls = JoiningCalls;
	type Applicants = pallet_consortium::Applicants<Runtime>;
	/// As long as the consortium's own limit on member names.
	type MaxNameLength = ConstU32<64>;
	type MaxScopedMetrics = ConstU32<16>;
	type MaxMembers = ConstU32<1_000>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	type WeightInfo = crate::weights::pallet_permissions::WeightInfo<Runtime>;
}
