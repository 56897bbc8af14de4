//! Origins of council decisions, shared by every pallet that needs a council vote.
//!
//! A motion passes with the proportion of council members its origin names; there is no
//! single key that can stand in for the council.

use crate::AccountId;

/// The council's `pallet-collective` instance.
pub type CouncilInstance = pallet_collective::Instance1;

/// More than half of the council: routine decisions.
pub type EnsureCouncilMajority =
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilInstance, 1, 2>;

/// At least two thirds of the council: decisions that change the rules (charter, runtime).
pub type EnsureCouncilSupermajority =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilInstance, 2, 3>;
