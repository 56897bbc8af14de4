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

/// How the council counts a member who did not vote when a motion closes after its duration:
/// as a no. A motion passes only with the stated proportion of actual ayes, so no member (the
/// prime included, whose vote `pallet_collective::PrimeDefaultVote` would lend every
/// abstainer) can pass a motion alone by waiting for the others to stay silent.
pub struct AbstainIsNay;
impl pallet_collective::DefaultVote for AbstainIsNay {
	fn default_vote(_: Option<bool>, _: u32, _: u32, _: u32) -> bool {
		false
	}
}
