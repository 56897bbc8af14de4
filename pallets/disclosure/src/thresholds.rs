//! Threshold claims: value commitments (a hidden value of a metric, subject and period, with
//! a 64-bit range proof) and the claims proved about them ("at most X", "at least Y"), made and
//! checked by [`perfledger_proofs::threshold`]. Also what other pallets read of them
//! ([`ThresholdClaims`]).
//!
//! What the claims about a committed value proved is its proven range ([`ProvenRange`]): each
//! claim must tighten it ([`implied`], [`tightened`]).

use crate::*;
use perfledger_primitives::IdSequence;

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::commit_value`].
	pub(crate) fn do_commit_value(
		who: T::AccountId,
		metric: MetricId,
		subject: SubjectOf<T>,
		period: u64,
		commitment: ValueCommitment,
		proof: RangeProof,
		document: Option<CommitmentId>,
	) -> DispatchResult {
		let organization = T::Permissions::acting_for(&who, Action::SubmitRecord, |organization| {
			Target::organization(organization).metric(metric)
		})
		.map_err(Error::<T>::from)?;
		let current = T::Records::period_of(metric, T::Clock::now().as_millis() as u64)
			.ok_or(Error::<T>::UnknownMetric)?;
		ensure!(period <= current, Error::<T>::PeriodInTheFuture);
		let key = (organization, metric, subject.clone(), period);
		ensure!(!ValueOf::<T>::contains_key(&key), Error::<T>::ValueAlreadyCommitted);
		if let Some(id) = document {
			let document = Commitments::<T>::get(id).ok_or(Error::<T>::UnknownCommitment)?;
			ensure!(
				document.organization == organization,
				Error::<T>::CommitmentOfAnotherOrganization
			);
		}
		let statement = threshold::statement(organization, metric, &subject, period);
		threshold::verify_value(&commitment, &statement, &proof).map_err(Self::proof_error)?;

		let value = NextValueId::<T>::allocate().ok_or(ArithmeticError::Overflow)?;
		ValueOf::<T>::insert(&key, value);
		Values::<T>::insert(
			value,
			CommittedValue {
				organization,
				metric,
				subject: subject.clone(),
				period,
				commitment,
				document,
				committer: who,
				committed_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::ValueCommitted {
			value,
			organization,
			metric,
			subject,
			period,
			commitment,
		});
		Ok(())
	}

	/// The body of [`Pallet::prove_threshold`].
	pub(crate) fn do_prove_threshold(
		who: T::AccountId,
		value: ValueId,
		threshold: i64,
		direction: Direction,
		proof: RangeProof,
	) -> DispatchResult {
		let committed = Values::<T>::get(value).ok_or(Error::<T>::UnknownValue)?;
		let (organization, metric, period) =
			(committed.organization, committed.metric, committed.period);
		ensure!(
			T::Permissions::may(
				&who,
				Action::SubmitRecord,
				&Target::organization(organization).metric(metric)
			),
			Error::<T>::NotPermitted
		);
		let proven = Proven::<T>::get(value);
		ensure!(!implied(&proven, direction, threshold), Error::<T>::AlreadyProven);
		let statement = threshold::statement(organization, metric, &committed.subject, period);
		threshold::verify_threshold(
			&committed.commitment,
			threshold,
			direction,
			&statement,
			&proof,
		)
		.map_err(Self::proof_error)?;

		let claim = NextClaimId::<T>::allocate().ok_or(ArithmeticError::Overflow)?;
		Proven::<T>::insert(value, tightened(proven, direction, threshold));
		Claims::<T>::insert(
			claim,
			Claim {
				value,
				threshold,
				direction,
				claimant: who,
				claimed_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::ThresholdProven {
			claim,
			value,
			organization,
			metric,
			period,
			threshold,
			direction,
		});
		Ok(())
	}

	/// The pallet's error for a proof that does not verify.
	fn proof_error(error: threshold::ProofError) -> DispatchError {
		match error {
			threshold::ProofError::Malformed => Error::<T>::MalformedProof,
			threshold::ProofError::Invalid | threshold::ProofError::ClaimFalse => {
				Error::<T>::InvalidProof
			}
		}
		.into()
	}

	/// The committed value of an organization's metric about a subject in a period, and what
	/// was proved about it.
	pub fn value_of(
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		period: u64,
	) -> Option<(ValueId, CommittedValueOf<T>, ProvenRange)> {
		let subject = SubjectOf::<T>::try_from(subject.to_vec()).ok()?;
		let id = ValueOf::<T>::get((organization, metric, subject, period))?;
		Some((id, Values::<T>::get(id)?, Proven::<T>::get(id)))
	}
}

impl<T: Config> ThresholdClaims for Pallet<T> {
	fn proven_range(
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		period: u64,
	) -> Option<ProvenRange> {
		Self::value_of(organization, metric, subject, period).map(|(_, _, range)| range)
	}

	fn read_weight() -> Weight {
		T::DbWeight::get().reads(3)
	}
}

/// Whether what is proved (`proven`) already implies the claim that the value is at most (or at
/// least, by `direction`) `threshold`: a claim so implied proves nothing new.
pub(crate) fn implied(proven: &ProvenRange, direction: Direction, threshold: i64) -> bool {
	match direction {
		Direction::AtMost => proven.at_most(threshold),
		Direction::AtLeast => proven.at_least(threshold),
	}
}

/// What is proved once the claim that the value is at most (or at least, by `direction`)
/// `threshold` is proved: the bound on that side becomes `threshold`, the other stays. It
/// replaces the bound without comparing, so check first that the claim is not [`implied`].
pub(crate) fn tightened(proven: ProvenRange, direction: Direction, threshold: i64) -> ProvenRange {
	let mut proven = proven;
	match direction {
		Direction::AtMost => proven.at_most = Some(threshold),
		Direction::AtLeast => proven.at_least = Some(threshold),
	}
	proven
}

#[cfg(test)]
mod tests {
	use super::{implied, tightened};
	use crate::Direction::{AtLeast, AtMost};
	use perfledger_primitives::ProvenRange;

	fn range(at_least: Option<i64>, at_most: Option<i64>) -> ProvenRange {
		ProvenRange { at_least, at_most }
	}

	#[test]
	fn nothing_proved_implies_nothing() {
		let none = ProvenRange::default();
		assert!(!implied(&none, AtMost, 0));
		assert!(!implied(&none, AtLeast, 0));
		assert!(!implied(&none, AtMost, i64::MAX));
		assert!(!implied(&none, AtLeast, i64::MIN));
	}

	#[test]
	fn a_proved_bound_implies_every_looser_claim_on_its_side_only() {
		// Proved: 5 <= value <= 10.
		let proven = range(Some(5), Some(10));
		assert!(implied(&proven, AtMost, 10));
		assert!(implied(&proven, AtMost, 11));
		assert!(!implied(&proven, AtMost, 9));
		assert!(implied(&proven, AtLeast, 5));
		assert!(implied(&proven, AtLeast, 4));
		assert!(!implied(&proven, AtLeast, 6));
		// A bound on one side says nothing about the other.
		assert!(!implied(&range(None, Some(10)), AtLeast, -100));
		assert!(!implied(&range(Some(5), None), AtMost, 100));
	}

	#[test]
	fn a_claim_sets_the_bound_on_its_side_and_keeps_the_other() {
		assert_eq!(tightened(ProvenRange::default(), AtMost, 10), range(None, Some(10)));
		assert_eq!(tightened(ProvenRange::default(), AtLeast, -3), range(Some(-3), None));
		assert_eq!(tightened(range(Some(3), Some(10)), AtMost, 8), range(Some(3), Some(8)));
		assert_eq!(tightened(range(Some(3), Some(10)), AtLeast, 4), range(Some(4), Some(10)));
	}

	#[test]
	fn tightened_replaces_without_comparing() {
		// prove_threshold refuses an implied claim first; tightened alone would loosen.
		assert!(implied(&range(None, Some(5)), AtMost, 10));
		assert_eq!(tightened(range(None, Some(5)), AtMost, 10), range(None, Some(10)));
	}

	#[test]
	fn a_tighter_claim_implies_the_looser_bound_it_replaces() {
		// Proved at most 10; claiming at most 7 is new, and the result implies at most 7 and 10.
		let proven = range(None, Some(10));
		assert!(!implied(&proven, AtMost, 7));
		let after = tightened(proven, AtMost, 7);
		assert!(implied(&after, AtMost, 7));
		assert!(implied(&after, AtMost, 10));
		assert!(!implied(&after, AtMost, 6));
	}
}
