//! Tests of permissions: every call with every refusal, expiry at the exact block, suspension
//! and reinstatement, the trait the other pallets ask, the origin and the gate.

use crate::{
	mock::*, CheckGrant, Error, Event, Expiries, Grants, Members, OrganizationStatus,
	Organizations, Role, Scope, ScopeOf,
};
use frame::{
	deps::sp_runtime::{
		traits::{
			AsTransactionAuthorizedOrigin, DispatchTransaction, TransactionExtension,
			TxBaseImplication,
		},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	},
	testing_prelude::*,
};
use perfledger_primitives::{Action, OrganizationLifecycle, Permissions as _, Region, Target};

const DE: Region = Region(*b"DE");

fn unscoped() -> ScopeOf<Test> {
	Scope::default()
}

fn scope(metrics: &[u32], region: Option<Region>) -> ScopeOf<Test> {
	Scope { metrics: metrics.to_vec().try_into().unwrap(), region }
}

fn may(who: u64, action: Action, target: Target) -> bool {
	Permissions::may(&who, action, &target)
}

fn acme() -> Target {
	Target::organization(ACME)
}

/// Runs the gate on `call` signed by `who`, as the transaction pool does.
fn gate(who: u64, call: RuntimeCall) -> Result<(), TransactionValidityError> {
	let info = call.get_dispatch_info();
	CheckGrant::<Test>::new()
		.validate_only(Some(who).into(), &call, &info, 0, TransactionSource::External, 0)
		.map(|_| ())
}

/// `by` grants `who` a role in its organization.
fn grant(
	by: u64,
	who: u64,
	role: Role,
	scope: ScopeOf<Test>,
	expires_at: Option<u64>,
) -> DispatchResult {
	Permissions::grant_role(RuntimeOrigin::signed(by), who, role, scope, expires_at)
}

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![1] })
}

mod organizations {
	use super::*;

	#[test]
	fn genesis_creates_organizations_with_their_owners_as_admins() {
		ExtBuilder::build_and_execute(|| {
			let org = Organizations::<Test>::get(ACME).unwrap();
			assert_eq!((org.owner, org.region, org.members), (1, DE, 2));
			assert_eq!(org.status, OrganizationStatus::Active);
			assert!(may(1, Action::Administer, acme()));
			assert!(may(11, Action::SubmitRecord, acme()));
			assert_eq!(crate::NextOrganizationId::<Test>::get(), 2);
		});
	}

	#[test]
	fn admission_creates_an_organization_and_removal_suspends_it() {
		ExtBuilder::build_and_execute(|| {
			let id = Permissions::on_admitted(&5, b"Coldline", Region(*b"NL")).unwrap();
			assert_eq!(id, 2);
			System::assert_has_event(
				Event::OrganizationCreated { organization: 2, owner: 5, region: Region(*b"NL") }
					.into(),
			);
			assert!(may(5, Action::Administer, Target::organization(2)));

			assert_ok!(Permissions::on_removed(&5));
			System::assert_last_event(Event::OrganizationSuspended { organization: 2 }.into());
			assert!(!may(5, Action::Administer, Target::organization(2)));

			// Admitted again, it gets its own organization back.
			assert_eq!(Permissions::on_admitted(&5, b"Coldline", Region(*b"NL")), Ok(2));
			System::assert_last_event(Event::OrganizationReinstated { organization: 2 }.into());
			assert!(may(5, Action::Administer, Target::organization(2)));
		});
	}

	#[test]
	fn admission_refuses_bad_names_regions_and_members_of_another_organization() {
		ExtBuilder::build_and_execute(|| {
			let noop = |who, name: &[u8], region, error: Error<Test>| {
				assert_noop!(Permissions::on_admitted(&who, name, region), error);
			};
			noop(5, b"", DE, Error::BadName);
			noop(5, &[b'x'; 17], DE, Error::BadName);
			noop(5, b"Coldline", Region(*b"de"), Error::InvalidRegion);
			noop(11, b"Coldline", DE, Error::InOtherOrganization);
			assert_eq!(Permissions::on_removed(&5), Err(Error::<Test>::UnknownOrganization.into()));
			// What the consortium asks before it takes an application: Acme's reporter may not
			// found an organization, Acme's owner (its own back) and a stranger may.
			assert!(!Permissions::may_found(&11));
			assert!(Permissions::may_found(&1));
			assert!(Permissions::may_found(&5));
		});
	}

	#[test]
	fn suspension_stops_every_grant_at_once_and_reinstatement_restores_them() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(grant(1, 12, Role::Reporter, unscoped(), None));
			assert_noop!(
				Permissions::suspend_organization(RuntimeOrigin::signed(1), ACME),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Permissions::suspend_organization(RuntimeOrigin::root(), 7),
				Error::<Test>::UnknownOrganization
			);
			assert_ok!(Permissions::suspend_organization(RuntimeOrigin::root(), ACME));
			System::assert_last_event(Event::OrganizationSuspended { organization: ACME }.into());
			assert_noop!(
				Permissions::suspend_organization(RuntimeOrigin::root(), ACME),
				Error::<Test>::AlreadySuspended
			);

			for who in [1, 11, 12] {
				assert!(!Permissions::has_live_grant(&who), "{who} holds nothing while suspended");
				assert_eq!(gate(who, remark()), Err(InvalidTransaction::BadSigner.into()));
			}
			assert!(!may(11, Action::SubmitRecord, acme()));
			assert!(Permissions::live_members(ACME).is_empty());
			// The admin of a suspended organization cannot act either; the grants are kept.
			assert_noop!(
				grant(1, 13, Role::Reporter, unscoped(), None),
				Error::<Test>::OrganizationSuspended
			);
			assert!(Grants::<Test>::contains_key(12, Role::Reporter));
			// Borealis is untouched.
			assert!(may(2, Action::Administer, Target::organization(BOREALIS)));

			assert_noop!(
				Permissions::reinstate_organization(RuntimeOrigin::signed(1), ACME),
				DispatchError::BadOrigin
			);
			assert_ok!(Permissions::reinstate_organization(RuntimeOrigin::root(), ACME));
			System::assert_last_event(Event::OrganizationReinstated { organization: ACME }.into());
			assert_noop!(
				Permissions::reinstate_organization(RuntimeOrigin::root(), ACME),
				Error::<Test>::NotSuspended
			);
			assert_noop!(
				Permissions::reinstate_organization(RuntimeOrigin::root(), 7),
				Error::<Test>::UnknownOrganization
			);
			assert!(may(11, Action::SubmitRecord, acme()));
			assert_ok!(gate(12, remark()));
			let mut members = Permissions::live_members(ACME);
			members.sort();
			assert_eq!(
				members,
				vec![
					(1, vec![Role::OrganizationAdmin]),
					(11, vec![Role::Reporter]),
					(12, vec![Role::Reporter])
				]
			);
		});
	}
}

mod grants {
	use super::*;

	#[test]
	fn an_admin_grants_roles_in_its_own_organization() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(grant(1, 12, Role::DeviceManager, scope(&[7], Some(DE)), Some(50)));
			System::assert_last_event(
				Event::RoleGranted {
					who: 12,
					role: Role::DeviceManager,
					organization: Some(ACME),
					expires_at: Some(50),
				}
				.into(),
			);
			let stored = Grants::<Test>::get(12, Role::DeviceManager).unwrap();
			assert_eq!(
				(stored.organization, stored.expires_at, stored.granted_at),
				(Some(ACME), Some(50), 1)
			);
			assert_eq!(Expiries::<Test>::get(50).into_inner(), vec![(12, Role::DeviceManager)]);
			assert_eq!(Organizations::<Test>::get(ACME).unwrap().members, 3);
			// A second role of the same account is not a second member.
			assert_ok!(grant(1, 12, Role::Reporter, unscoped(), None));
			assert_eq!(Members::<Test>::get(ACME, 12), 2);
			assert_eq!(Organizations::<Test>::get(ACME).unwrap().members, 3);
			assert_eq!(Permissions::organization_of(&12), Some(ACME));
		});
	}

	#[test]
	fn grant_role_refusals() {
		ExtBuilder::build_and_execute(|| {
			assert_noop!(
				grant(1, 12, Role::Auditor, unscoped(), None),
				Error::<Test>::RoleNeedsCouncil
			);
			assert_noop!(
				grant(1, 12, Role::Regulator, unscoped(), None),
				Error::<Test>::RoleNeedsCouncil
			);
			// A reporter is not an admin; neither is a stranger.
			assert_noop!(grant(11, 12, Role::Reporter, unscoped(), None), Error::<Test>::NotAdmin);
			assert_noop!(grant(50, 12, Role::Reporter, unscoped(), None), Error::<Test>::NotAdmin);
			// Permission first: a stranger learns nothing about the role it names.
			assert_noop!(grant(50, 12, Role::Auditor, unscoped(), None), Error::<Test>::NotAdmin);
			assert_noop!(
				Permissions::grant_role(
					RuntimeOrigin::root(),
					12,
					Role::Reporter,
					unscoped(),
					None
				),
				DispatchError::BadOrigin
			);
			// Acme's reporter cannot also work for Borealis.
			assert_noop!(
				grant(2, 11, Role::Reporter, unscoped(), None),
				Error::<Test>::InOtherOrganization
			);
			// Nobody grants an applicant a role: that would keep it out of its own organization.
			assert_noop!(
				grant(1, APPLICANT, Role::Reporter, unscoped(), None),
				Error::<Test>::Applicant
			);
			assert_noop!(
				grant(1, 12, Role::Reporter, scope(&[], Some(Region(*b"D1"))), None),
				Error::<Test>::InvalidRegion
			);
			assert_noop!(
				grant(1, 12, Role::Reporter, unscoped(), Some(1)),
				Error::<Test>::ExpiryNotInFuture
			);
			// Two expiries per block at most.
			assert_ok!(grant(1, 12, Role::Reporter, unscoped(), Some(9)));
			assert_ok!(grant(1, 12, Role::DeviceManager, unscoped(), Some(9)));
			assert_noop!(
				grant(1, 11, Role::DeviceManager, unscoped(), Some(9)),
				Error::<Test>::TooManyExpiries
			);
			// Three members at most: 1, 11 and 12.
			assert_noop!(
				grant(1, 13, Role::Reporter, unscoped(), None),
				Error::<Test>::TooManyMembers
			);
		});
	}

	#[test]
	fn a_grant_replaces_the_earlier_one_and_its_expiry() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(grant(1, 11, Role::Reporter, unscoped(), Some(5)));
			assert_ok!(grant(1, 11, Role::Reporter, unscoped(), Some(8)));
			assert!(!Expiries::<Test>::contains_key(5));
			assert_eq!(Expiries::<Test>::get(8).into_inner(), vec![(11, Role::Reporter)]);
			assert_eq!(Members::<Test>::get(ACME, 11), 1);
			run_to(5);
			assert!(may(11, Action::SubmitRecord, acme()), "the replaced expiry does not apply");
			assert_ok!(grant(1, 11, Role::Reporter, unscoped(), None));
			assert!(!Expiries::<Test>::contains_key(8));
			run_to(8);
			assert!(may(11, Action::SubmitRecord, acme()));
		});
	}

	#[test]
	fn a_grant_expires_at_the_exact_block() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(grant(1, 12, Role::Reporter, unscoped(), Some(5)));
			run_to(4);
			assert!(may(12, Action::SubmitRecord, acme()));
			assert_ok!(gate(12, remark()));
			// At block 5 it no longer holds, before and after the block's hook removes it.
			System::set_block_number(5);
			assert!(!may(12, Action::SubmitRecord, acme()));
			Permissions::on_initialize(5);
			System::assert_last_event(Event::RoleExpired { who: 12, role: Role::Reporter }.into());
			assert!(!Grants::<Test>::contains_key(12, Role::Reporter));
			assert!(!Members::<Test>::contains_key(ACME, 12));
			assert!(!Expiries::<Test>::contains_key(5));
			assert_eq!(gate(12, remark()), Err(InvalidTransaction::BadSigner.into()));
		});
	}

	#[test]
	fn revoke_role_by_admin_or_council_and_its_refusals() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(grant(1, 12, Role::Reporter, unscoped(), Some(30)));
			assert_noop!(
				Permissions::revoke_role(RuntimeOrigin::signed(1), 12, Role::Auditor),
				Error::<Test>::NoSuchGrant
			);
			// Borealis's admin cannot touch Acme's grants; a reporter is no admin.
			assert_noop!(
				Permissions::revoke_role(RuntimeOrigin::signed(2), 12, Role::Reporter),
				Error::<Test>::NotAdmin
			);
			assert_noop!(
				Permissions::revoke_role(RuntimeOrigin::signed(11), 12, Role::Reporter),
				Error::<Test>::NotAdmin
			);
			assert_noop!(
				Permissions::revoke_role(RuntimeOrigin::none(), 12, Role::Reporter),
				DispatchError::BadOrigin
			);
			// The owner's admin role lasts as long as the organization, even for the council.
			assert_noop!(
				Permissions::revoke_role(RuntimeOrigin::root(), 1, Role::OrganizationAdmin),
				Error::<Test>::OwnerAdminGrant
			);

			assert_ok!(Permissions::revoke_role(RuntimeOrigin::signed(1), 12, Role::Reporter));
			System::assert_last_event(Event::RoleRevoked { who: 12, role: Role::Reporter }.into());
			assert!(!may(12, Action::SubmitRecord, acme()));
			assert!(!Expiries::<Test>::contains_key(30));
			assert_eq!(Organizations::<Test>::get(ACME).unwrap().members, 2);

			assert_ok!(Permissions::revoke_role(RuntimeOrigin::root(), 11, Role::Reporter));
			assert!(!may(11, Action::SubmitRecord, acme()));
			// Re-granting after revocation works at once.
			assert_ok!(grant(1, 11, Role::Reporter, unscoped(), None));
			assert!(may(11, Action::SubmitRecord, acme()));

			// A second admin may revoke, but not the owner's role.
			assert_ok!(grant(1, 12, Role::OrganizationAdmin, unscoped(), None));
			assert_noop!(
				Permissions::revoke_role(RuntimeOrigin::signed(12), 1, Role::OrganizationAdmin),
				Error::<Test>::OwnerAdminGrant
			);
			assert_ok!(Permissions::revoke_role(RuntimeOrigin::signed(12), 11, Role::Reporter));
			// After suspension, an admin cannot revoke; the council can.
			assert_ok!(Permissions::suspend_organization(RuntimeOrigin::root(), ACME));
			assert_noop!(
				Permissions::revoke_role(RuntimeOrigin::signed(1), 12, Role::OrganizationAdmin),
				Error::<Test>::OrganizationSuspended
			);
			assert_ok!(Permissions::revoke_role(
				RuntimeOrigin::root(),
				12,
				Role::OrganizationAdmin
			));
		});
	}

	/// A second admin cannot take the organization from its owner by re-granting the owner's
	/// admin role with an expiry or a scope; an admin with a scope or an expiry of its own
	/// cannot give itself or anyone more than it holds.
	#[test]
	fn no_admin_replaces_the_owners_grant_or_outgrows_its_own() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(grant(1, 12, Role::OrganizationAdmin, unscoped(), None));
			for (scope, expiry) in [(unscoped(), Some(5)), (scope(&[1], None), None)] {
				assert_noop!(
					grant(12, 1, Role::OrganizationAdmin, scope, expiry),
					Error::<Test>::OwnerAdminGrant
				);
			}
			// Now a contractor admin until block 20: nothing it grants outlives it.
			assert_ok!(grant(1, 12, Role::OrganizationAdmin, unscoped(), Some(20)));
			for (who, role, expiry) in [
				(12, Role::OrganizationAdmin, None),
				(12, Role::OrganizationAdmin, Some(20)),
				(11, Role::Reporter, None),
				(11, Role::Reporter, Some(21)),
			] {
				assert_noop!(
					grant(12, who, role, unscoped(), expiry),
					Error::<Test>::OutlivesAdmin
				);
			}
			assert_ok!(grant(12, 11, Role::Reporter, unscoped(), Some(20)));
			// An admin scoped to a metric administers no grants.
			assert_ok!(grant(1, 12, Role::OrganizationAdmin, scope(&[1], None), None));
			assert_noop!(
				grant(12, 12, Role::OrganizationAdmin, unscoped(), None),
				Error::<Test>::NotAdmin
			);
			assert_noop!(grant(12, 11, Role::Reporter, unscoped(), None), Error::<Test>::NotAdmin);
		});
	}

	#[test]
	fn renounce_role() {
		ExtBuilder::build_and_execute(|| {
			assert_noop!(
				Permissions::renounce_role(RuntimeOrigin::signed(11), Role::Auditor),
				Error::<Test>::NoSuchGrant
			);
			assert_noop!(
				Permissions::renounce_role(RuntimeOrigin::signed(1), Role::OrganizationAdmin),
				Error::<Test>::OwnerAdminGrant
			);
			assert_ok!(Permissions::renounce_role(RuntimeOrigin::signed(11), Role::Reporter));
			System::assert_last_event(
				Event::RoleRenounced { who: 11, role: Role::Reporter }.into(),
			);
			assert!(!Members::<Test>::contains_key(ACME, 11));
		});
	}

	#[test]
	fn the_council_grants_auditors_and_regulators_consortium_wide() {
		ExtBuilder::build_and_execute(|| {
			let by_council = |origin, role| {
				Permissions::grant_consortium_role(origin, 20, role, unscoped(), None)
			};
			assert_noop!(
				by_council(RuntimeOrigin::signed(1), Role::Auditor),
				DispatchError::BadOrigin
			);
			assert_noop!(
				by_council(RuntimeOrigin::root(), Role::Reporter),
				Error::<Test>::NotAConsortiumRole
			);
			assert_noop!(
				by_council(RuntimeOrigin::root(), Role::OrganizationAdmin),
				Error::<Test>::NotAConsortiumRole
			);
			assert_ok!(by_council(RuntimeOrigin::root(), Role::Auditor));
			System::assert_last_event(
				Event::RoleGranted {
					who: 20,
					role: Role::Auditor,
					organization: None,
					expires_at: None,
				}
				.into(),
			);
			// An auditor audits any organization, and nothing else.
			assert!(may(20, Action::Audit, acme()));
			assert!(may(20, Action::Audit, Target::organization(BOREALIS)));
			assert!(!may(20, Action::SubmitRecord, acme()));
			assert_eq!(Permissions::organization_of(&20), None);
			// It may still join an organization.
			assert_ok!(grant(2, 20, Role::Reporter, unscoped(), None));
			// A regulator scoped to a region audits only there.
			assert_ok!(Permissions::grant_consortium_role(
				RuntimeOrigin::root(),
				21,
				Role::Regulator,
				scope(&[], Some(DE)),
				Some(40)
			));
			assert!(may(21, Action::Audit, acme().region(DE)));
			assert!(!may(21, Action::Audit, acme().region(Region(*b"FI"))));
			assert!(!may(21, Action::Audit, acme()));
		});
	}
}

mod checks {
	use super::*;

	#[test]
	fn may_follows_roles_organizations_and_scopes() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(grant(1, 12, Role::Reporter, scope(&[3, 4], Some(DE)), None));
			assert!(may(12, Action::SubmitRecord, acme().metric(3).region(DE)));
			assert!(may(12, Action::SubmitRecord, acme().metric(4).region(DE)));
			assert!(
				!may(12, Action::SubmitRecord, acme().metric(5).region(DE)),
				"metric outside scope"
			);
			assert!(
				!may(12, Action::SubmitRecord, acme().metric(3).region(Region(*b"FI"))),
				"region outside scope"
			);
			assert!(
				!may(12, Action::SubmitRecord, acme().metric(3)),
				"a scoped grant needs the target's region"
			);
			assert!(!may(
				12,
				Action::SubmitRecord,
				Target::organization(BOREALIS).metric(3).region(DE)
			));
			assert!(!may(12, Action::ManageDevices, acme().metric(3).region(DE)), "wrong role");
			// An unscoped reporter reports any metric, but only for its own organization.
			assert!(may(11, Action::SubmitRecord, acme().metric(9)));
			assert!(!may(11, Action::SubmitRecord, Target::default()));
			// `has_role` asks for one role exactly, with the same organization and scope rules.
			assert!(Permissions::has_role(&12, Role::Reporter, &acme().metric(3).region(DE)));
			assert!(!Permissions::has_role(&12, Role::Reporter, &acme().metric(5).region(DE)));
			assert!(!Permissions::has_role(&12, Role::DeviceManager, &acme().metric(3).region(DE)));
			assert!(!Permissions::has_role(&11, Role::Reporter, &Target::organization(BOREALIS)));
			// Least privilege: the admin administers, it does not report.
			assert!(may(1, Action::Administer, acme()));
			assert!(!may(1, Action::SubmitRecord, acme()));
			assert!(!may(50, Action::SubmitRecord, acme()));
		});
	}

	#[test]
	fn the_gate_lets_members_privileged_accounts_and_open_calls_through() {
		ExtBuilder::build_and_execute(|| {
			// A stranger is refused before anything is charged...
			assert_eq!(gate(50, remark()), Err(InvalidTransaction::BadSigner.into()));
			// ...unless it sends an open call.
			let open =
				RuntimeCall::System(frame_system::Call::remark_with_event { remark: vec![1] });
			assert_ok!(gate(50, open));
			assert_ok!(gate(PRIVILEGED, remark()));
			assert_ok!(gate(11, remark()));
			assert_ok!(gate(1, remark()));
			// Unsigned transactions are not the gate's to judge: it passes them on unchanged.
			let info = remark().get_dispatch_info();
			let (_, _, origin) = CheckGrant::<Test>::new()
				.validate(
					RuntimeOrigin::none(),
					&remark(),
					&info,
					0,
					(),
					&TxBaseImplication(remark()),
					TransactionSource::External,
				)
				.unwrap();
			assert!(!origin.is_transaction_authorized());
			// Revocation closes the gate at once.
			assert_ok!(Permissions::revoke_role(RuntimeOrigin::signed(1), 11, Role::Reporter));
			assert_eq!(gate(11, remark()), Err(InvalidTransaction::BadSigner.into()));
			// Dispatching through the extension refuses just the same (a block cannot include it).
			let info = remark().get_dispatch_info();
			assert_eq!(
				CheckGrant::<Test>::new()
					.dispatch_transaction(RuntimeOrigin::signed(11), remark(), &info, 0, 0)
					.unwrap_err(),
				InvalidTransaction::BadSigner.into()
			);
		});
	}

	#[test]
	fn the_runtime_api_lists_live_grants_and_members() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(grant(1, 12, Role::Reporter, unscoped(), Some(3)));
			assert_ok!(grant(1, 12, Role::DeviceManager, unscoped(), None));
			let roles = |who| {
				let mut roles: Vec<_> =
					Permissions::live_grants(&who).into_iter().map(|g| g.role).collect();
				roles.sort();
				roles
			};
			assert_eq!(roles(12), vec![Role::Reporter, Role::DeviceManager]);
			System::set_block_number(3);
			assert_eq!(roles(12), vec![Role::DeviceManager], "an expired grant is not listed");
			let mut members = Permissions::live_members(ACME);
			members.sort();
			assert_eq!(
				members,
				vec![
					(1, vec![Role::OrganizationAdmin]),
					(11, vec![Role::Reporter]),
					(12, vec![Role::DeviceManager])
				]
			);
			assert_eq!(Permissions::live_members(7), vec![]);
		});
	}
}
