//! Who may do what: the one table of which roles permit which actions, and which roles are the
//! council's to grant. The other pallets never read it: they ask
//! [`perfledger_primitives::Permissions`], which this pallet answers from it and the grants.

use perfledger_primitives::{Action, Role};

/// Whether `role` permits `action`. Least privilege: an admin manages, it does not report; an
/// auditor or regulator asks for disclosed data and does nothing else.
pub fn permits(role: Role, action: Action) -> bool {
	matches!(
		(role, action),
		(Role::OrganizationAdmin, Action::Administer)
			| (Role::Reporter, Action::SubmitRecord)
			| (Role::DeviceManager, Action::ManageDevices)
			| (Role::Auditor | Role::Regulator, Action::Audit)
			| (Role::ModelContributor, Action::RegisterArtifact)
			| (Role::Evaluator, Action::Evaluate)
	)
}

/// Whether `role` is the consortium's to grant (by council motion, to an account of no
/// organization), not an organization's.
pub fn is_consortium_role(role: Role) -> bool {
	matches!(role, Role::Auditor | Role::Regulator)
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Each action is permitted by exactly the roles the table names, and no role by another.
	#[test]
	fn each_action_has_its_roles_and_no_other() {
		let holders =
			|action| Role::ALL.into_iter().filter(|r| permits(*r, action)).collect::<Vec<_>>();
		assert_eq!(holders(Action::Administer), [Role::OrganizationAdmin]);
		assert_eq!(holders(Action::SubmitRecord), [Role::Reporter]);
		assert_eq!(holders(Action::ManageDevices), [Role::DeviceManager]);
		assert_eq!(holders(Action::Audit), [Role::Auditor, Role::Regulator]);
		assert_eq!(holders(Action::RegisterArtifact), [Role::ModelContributor]);
		assert_eq!(holders(Action::Evaluate), [Role::Evaluator]);
		let council: Vec<_> = Role::ALL.into_iter().filter(|r| is_consortium_role(*r)).collect();
		assert_eq!(council, [Role::Auditor, Role::Regulator]);
	}
}
