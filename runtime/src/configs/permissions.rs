//! Permissions: organizations, roles and grants, and the gate on every signed transaction.

use super::origins::EnsureCouncilMajority;
use crate::{configs::CouncilInstance, AccountId, Runtime, RuntimeCall, RuntimeEvent};
use frame_support::traits::{ConstU32, Contains};

/// The accounts the gate lets transact without a grant: council members and validators.
pub struct CouncilOrValidator;
impl Contains<AccountId> for CouncilOrValidator {
	fn contains(who: &AccountId) -> bool {
		pallet_collective::Members::<Runtime, CouncilInstance>::get().contains(who)
			|| pallet_session::Validators::<Runtime>::get().contains(who)
	}
}

/// The longest session-keys ownership proof an outsider may send: the proof is one signature
/// per key (Aura's sr25519 and GRANDPA's ed25519, 64 bytes each, with their SCALE framing).
/// `set_keys` takes any length; without this bound an outsider's transaction could be as long as
/// a block.
pub const MAX_KEYS_PROOF: usize = 256;

/// The calls the gate lets any account submit: how an outsider joins the consortium (applying,
/// withdrawing its application, setting a candidate validator's session keys before the
/// council's vote, with a proof of at most [`MAX_KEYS_PROOF`] bytes), and applying a runtime
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
				) | RuntimeCall::Session(pallet_session::Call::purge_keys { .. })
					| RuntimeCall::System(frame_system::Call::apply_authorized_upgrade { .. })
			),
		}
	}
}

impl pallet_permissions::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Consortium roles, suspensions and reinstatements are council motions, by majority.
	type CouncilOrigin = EnsureCouncilMajority;
	type Privileged = CouncilOrValidator;
	type OpenCalls = JoiningCalls;
	/// As long as the consortium's own limit on member names.
	type MaxNameLength = ConstU32<64>;
	type MaxScopedMetrics = ConstU32<16>;
	type MaxMembers = ConstU32<1_000>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	type WeightInfo = crate::weights::pallet_permissions::WeightInfo<Runtime>;
}
