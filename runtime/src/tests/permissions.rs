//! Permissions in the runtime: the example consortium of the presets, organizations created by
//! admission, consortium roles by motion, and the gate on real signed transactions.

use super::{account, council_motion, ext_from_preset, governance::apply};
use crate::{
	tx_extension, Executive, Permissions, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	System, UncheckedExtrinsic,
};
use codec::Encode;
use frame_support::{assert_ok, dispatch::GetDispatchInfo};
use pallet_permissions::{OrganizationStatus, Organizations, Role};
use perfledger_primitives::{Action, Permissions as _, Target};
use sp_keyring::Sr25519Keyring::{
	self, Alice, AliceStash, Bob, BobStash, Charlie, CharlieStash, Dave, Eve, Ferdie,
};
use sp_runtime::{
	generic::{Era, SignedPayload},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
};

/// `call`, signed by `signer` as polkadot.js signs it: immortal, with the next nonce.
pub(crate) fn signed(signer: Sr25519Keyring, call: RuntimeCall) -> UncheckedExtrinsic {
	let who = account(signer);
	let extension = tx_extension(System::account_nonce(&who), Era::Immortal);
	// Inside the runtime the implicit data (versions, genesis hash) is read from the state.
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("implicit data");
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	UncheckedExtrinsic::new_signed(call, who.into(), signature.into(), extension)
}

/// What the transaction pool says of `call` signed by `signer`.
fn pool_validates(
	signer: Sr25519Keyring,
	call: RuntimeCall,
) -> Result<(), TransactionValidityError> {
	Executive::validate_transaction(
		TransactionSource::External,
		signed(signer, call),
		System::parent_hash(),
	)
	.map(|_| ())
}

fn transfer() -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: account(Alice).into(),
		value: crate::UNIT,
	})
}

#[test]
fn the_presets_give_every_founder_an_organization_with_a_reporter() {
	for (preset, founders) in [("development", 3), ("local_testnet", 4)] {
		ext_from_preset(preset).execute_with(|| {
			for (member, info) in pallet_consortium::Members::<Runtime>::iter() {
				let org = Organizations::<Runtime>::get(info.organization)
					.unwrap_or_else(|| panic!("{preset}: founder's organization exists"));
				assert_eq!(org.owner, member, "{preset}: the founder owns its organization");
				assert_eq!(org.region, info.region);
				assert_eq!(org.status, OrganizationStatus::Active);
				let target = Target::organization(info.organization);
				assert!(Permissions::may(&member, Action::Administer, &target));
			}
			assert_eq!(Organizations::<Runtime>::iter().count(), founders);
			for (i, reporter) in [AliceStash, BobStash, CharlieStash].into_iter().enumerate() {
				let target = Target::organization(i as u32).metric(1);
				assert!(Permissions::may(&account(reporter), Action::SubmitRecord, &target));
			}
			pallet_permissions::Pallet::<Runtime>::do_try_state().expect("permissions invariants");
		});
	}
}

#[test]
fn admission_by_motion_creates_the_members_organization() {
	ext_from_preset("development").execute_with(|| {
		apply(Eve);
		let admit =
			RuntimeCall::Consortium(pallet_consortium::Call::admit { applicant: account(Eve) });
		assert_eq!(council_motion(admit, 2, &[Alice, Bob]), Some(true));
		let organization = pallet_consortium::Members::<Runtime>::get(account(Eve))
			.expect("Eve is a member")
			.organization;
		assert_eq!(organization, 3, "the next id after the three founders'");
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Permissions(pallet_permissions::Event::OrganizationCreated {
				organization,
				owner: account(Eve),
				region: perfledger_primitives::Region(*b"SE"),
			})));
		// Eve's admin grants Ferdie a reporter role in its new organization.
		assert_ok!(Permissions::grant_role(
			RuntimeOrigin::signed(account(Eve)),
			account(Ferdie),
			Role::Reporter,
			Default::default(),
			None
		));
		let target = Target::organization(organization);
		assert!(Permissions::may(&account(Ferdie), Action::SubmitRecord, &target));
		pallet_permissions::Pallet::<Runtime>::do_try_state().expect("permissions invariants");
	});
}

#[test]
fn auditors_are_granted_by_a_council_majority_only() {
	ext_from_preset("development").execute_with(|| {
		let grant = RuntimeCall::Permissions(pallet_permissions::Call::grant_consortium_role {
			who: account(Ferdie),
			role: Role::Auditor,
			scope: Default::default(),
			expires_at: None,
		});
		assert_eq!(council_motion(grant.clone(), 1, &[Alice]), Some(false));
		assert!(!Permissions::may(&account(Ferdie), Action::Audit, &Target::organization(0)));
		assert_eq!(council_motion(grant, 2, &[Alice, Bob]), Some(true));
		assert!(Permissions::may(&account(Ferdie), Action::Audit, &Target::organization(0)));
	});
}

#[test]
fn the_gate_refuses_strangers_at_the_pool_and_lets_members_through() {
	ext_from_preset("development").execute_with(|| {
		let refused = Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner));
		// Eve holds no grant, sits on no council and runs no validator.
		assert_eq!(pool_validates(Eve, transfer()), refused);
		let eve_before = System::account(account(Eve));
		// A reporter, a council member and the validator pass.
		assert_ok!(pool_validates(AliceStash, transfer()));
		assert_ok!(pool_validates(Charlie, transfer()));
		assert_ok!(pool_validates(Alice, transfer()));
		// A stranger may still apply to join.
		let apply = RuntimeCall::Consortium(pallet_consortium::Call::apply {
			name: b"Eve Analytics".to_vec().try_into().unwrap(),
			region: perfledger_primitives::Region(*b"SE"),
		});
		assert_ok!(pool_validates(Eve, apply));
		// Nothing was charged for the refused transaction.
		assert_eq!(System::account(account(Eve)), eve_before);

		// A block cannot include it either: applying it fails the same way.
		assert_eq!(
			Executive::apply_extrinsic(signed(Eve, transfer())),
			Err(InvalidTransaction::BadSigner.into())
		);

		// Revoking the reporter closes the gate at once.
		let revoke = RuntimeCall::Permissions(pallet_permissions::Call::revoke_role {
			who: account(BobStash),
			role: Role::Reporter,
		});
		assert_ok!(pool_validates(BobStash, transfer()));
		assert_eq!(council_motion(revoke, 2, &[Alice, Bob]), Some(true));
		assert_eq!(pool_validates(BobStash, transfer()), refused);
	});
}

/// A member that leaves keeps its validator in the session's set until the council removes it:
/// the validator is no pass through the gate.
#[test]
fn a_member_that_left_does_not_pass_the_gate_through_its_validator() {
	ext_from_preset("local_testnet").execute_with(|| {
		let refused = Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner));
		assert_ok!(pool_validates(Dave, transfer()));
		assert_ok!(pallet_consortium::Pallet::<Runtime>::leave(RuntimeOrigin::signed(account(
			Dave
		))));
		assert!(pallet_session::Validators::<Runtime>::get().contains(&account(Dave)));
		assert!(pallet_validator_set::Validators::<Runtime>::get().contains(&account(Dave)));
		assert_eq!(pool_validates(Dave, transfer()), refused);
	});
}

/// What an outsider may send is bounded: its session keys' ownership proof at most
/// `MAX_KEYS_PROOF` bytes (a longer one is refused at the pool, before any fee or block space).
#[test]
fn an_outsiders_session_keys_proof_is_bounded() {
	ext_from_preset("development").execute_with(|| {
		let set_keys = |proof_len: usize| {
			RuntimeCall::Session(pallet_session::Call::set_keys {
				keys: crate::SessionKeys {
					aura: sp_core::sr25519::Public::from_raw([1; 32]).into(),
					grandpa: sp_core::ed25519::Public::from_raw([2; 32]).into(),
				},
				proof: vec![0; proof_len],
			})
		};
		let max = crate::configs::permissions::MAX_KEYS_PROOF;
		assert_eq!(
			pool_validates(Eve, set_keys(max + 1)),
			Err(InvalidTransaction::BadSigner.into())
		);
		// Within the bound the gate lets it through (the proof itself is checked at dispatch).
		assert_ne!(pool_validates(Eve, set_keys(max)), Err(InvalidTransaction::BadSigner.into()));
	});
}

/// Length is priced for a chain that runs for years: every byte costs `TransactionByteFee`
/// (ten micro-PLG), so a kilobyte costs a hundredth of a PLG, not a billionth.
#[test]
fn every_byte_of_a_transaction_is_paid_for() {
	ext_from_preset("development").execute_with(|| {
		let info = transfer().get_dispatch_info();
		let fee =
			|len: u32| pallet_transaction_payment::Pallet::<Runtime>::compute_fee(len, &info, 0);
		let per_kilobyte = fee(1_100) - fee(100);
		assert_eq!(per_kilobyte, 1_000 * crate::configs::TransactionByteFee::get());
		assert!(per_kilobyte >= crate::UNIT / 100, "a kilobyte costs {per_kilobyte}");
	});
}

/// Only the council manages which nodes connect: a node owner's calls are filtered out, so no
/// account can claim a peer id (a candidate's, while the council's motion to add it is
/// pending) or grow a set of extra connections.
#[test]
fn only_the_council_manages_nodes() {
	use frame_support::assert_noop;
	use sp_runtime::traits::Dispatchable;
	ext_from_preset("local_testnet").execute_with(|| {
		let peer = sp_core::OpaquePeerId(b"12D3KooWCandidate".to_vec());
		for call in [
			pallet_node_authorization::Call::<Runtime>::claim_node { node: peer.clone() },
			pallet_node_authorization::Call::<Runtime>::add_connections {
				node: peer.clone(),
				connections: vec![peer.clone()],
			},
		] {
			assert_noop!(
				RuntimeCall::NodeAuthorization(call)
					.dispatch(RuntimeOrigin::signed(account(Alice))),
				frame_system::Error::<Runtime>::CallFiltered
			);
		}
	});
}
