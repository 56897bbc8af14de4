//! Scoring rounds: evaluators commit to score vectors, reveal them, and the round's close keeps
//! each contributor's median as its final score.
//!
//! Commit-then-reveal keeps an evaluator from copying another's scores: nothing is visible
//! until every commitment is in. The median (the lower one, for an even count) keeps one
//! evaluator from moving a contributor's score beyond what the others' allow: with two
//! evaluators, a contributor both leave out or score 0 stays at 0 whatever a third says about
//! itself, and an evaluator that leaves a contributor out scores it 0. Final scores are points
//! out of [`POINTS`], so that every later payment splits exactly ([`crate::shares`]). The rules
//! that need no storage are the free functions at the top, tested without a runtime.

use crate::*;
use alloc::vec;

/// The lower median of `values` (sorted in place): the middle value, or the lower of the two
/// middle ones; 0 for none.
pub fn lower_median(values: &mut [u32]) -> u32 {
	if values.is_empty() {
		return 0;
	}
	values.sort_unstable();
	values[(values.len() - 1) / 2]
}

/// `weights` as points adding up to exactly [`POINTS`], by the largest-remainder rule: each
/// gets `floor(weight * POINTS / total)`, and the points left over go one each to the largest
/// remainders, ties to the earlier entry. `None` if every weight is 0.
pub fn to_points(weights: &[u64]) -> Option<Vec<u32>> {
	let total: u128 = weights.iter().map(|w| u128::from(*w)).sum();
	if total == 0 {
		return None;
	}
	let scaled = |w: u64| u128::from(w) * u128::from(POINTS);
	let mut points: Vec<u32> = weights.iter().map(|w| (scaled(*w) / total) as u32).collect();
	let given: u64 = points.iter().map(|p| u64::from(*p)).sum();
	let left = u64::from(POINTS) - given;
	let mut order: Vec<usize> = (0..weights.len()).collect();
	order.sort_by(|a, b| {
		let (ra, rb) = (scaled(weights[*a]) % total, scaled(weights[*b]) % total);
		rb.cmp(&ra).then(a.cmp(b))
	});
	for index in order.into_iter().take(left as usize) {
		points[index] += 1;
	}
	Some(points)
}

/// How far apart two point vectors over the same contributors are: their total variation
/// distance (half the sum of the differences), out of the whole.
pub fn distance(a: &[u32], b: &[u32]) -> Permill {
	let differences: u64 = a.iter().zip(b).map(|(x, y)| u64::from(x.abs_diff(*y))).sum();
	Permill::from_rational(differences / 2, u64::from(POINTS))
}

impl<T: Config> Pallet<T> {
	/// The commitment an evaluator makes and later opens: `blake2_256` of the SCALE encoding
	/// of `(model, digest, code, data, scores, salt)`, `digest` being the model's.
	pub fn commitment(
		model: ArtifactId,
		digest: H256,
		code: H256,
		data: H256,
		scores: &[(T::AccountId, u32)],
		salt: [u8; 32],
	) -> H256 {
		H256(frame::hashing::blake2_256(&(model, digest, code, data, scores, salt).encode()))
	}

	/// The body of [`Pallet::open_scoring`].
	pub(crate) fn do_open_scoring(
		who: T::AccountId,
		model: ArtifactId,
		commit_blocks: BlockNumberFor<T>,
		reveal_blocks: BlockNumberFor<T>,
	) -> DispatchResult {
		let artifact = Artifacts::<T>::get(model).ok_or(Error::<T>::UnknownArtifact)?;
		let organization = Self::acting_for(&who, Action::Administer)?;
		ensure!(organization == artifact.organization, Error::<T>::NotPermitted);
		ensure!(artifact.kind == ArtifactKind::Checkpoint, Error::<T>::NotAModel);
		ensure!(!Pools::<T>::contains_key(model), Error::<T>::AlreadyScored);
		ensure!(!Rounds::<T>::contains_key(model), Error::<T>::RoundOpen);
		let phase = T::MinPhase::get()..=T::MaxPhase::get();
		ensure!(
			phase.contains(&commit_blocks) && phase.contains(&reveal_blocks),
			Error::<T>::BadPhase
		);
		let now = frame_system::Pallet::<T>::block_number();
		let commit_until = now.saturating_add(commit_blocks);
		let reveal_until = commit_until.saturating_add(reveal_blocks);
		Rounds::<T>::insert(model, Round { commit_until, reveal_until, committed: 0, revealed: 0 });
		Self::deposit_event(Event::ScoringOpened { model, commit_until, reveal_until });
		Ok(())
	}

	/// The body of [`Pallet::commit_scores`].
	pub(crate) fn do_commit_scores(
		who: T::AccountId,
		model: ArtifactId,
		commitment: H256,
	) -> DispatchResult {
		let evaluator = Self::acting_for(&who, Action::Evaluate)?;
		let mut round = Rounds::<T>::get(model).ok_or(Error::<T>::NoRound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= round.commit_until, Error::<T>::CommitClosed);
		if !Commitments::<T>::contains_key(model, evaluator) {
			ensure!(round.committed < T::MaxEvaluators::get(), Error::<T>::TooManyEvaluators);
			round.committed += 1;
			Rounds::<T>::insert(model, round);
		}
		Commitments::<T>::insert(model, evaluator, commitment);
		Self::deposit_event(Event::ScoresCommitted { model, evaluator, commitment });
		Ok(())
	}

	/// The body of [`Pallet::reveal_scores`].
	pub(crate) fn do_reveal_scores(
		who: T::AccountId,
		model: ArtifactId,
		code: H256,
		data: H256,
		scores: ScoresOf<T>,
		salt: [u8; 32],
	) -> DispatchResult {
		let evaluator = Self::acting_for(&who, Action::Evaluate)?;
		let mut round = Rounds::<T>::get(model).ok_or(Error::<T>::NoRound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now > round.commit_until, Error::<T>::RevealNotOpen);
		ensure!(now <= round.reveal_until, Error::<T>::RevealClosed);
		let committed = Commitments::<T>::get(model, evaluator).ok_or(Error::<T>::NoCommitment)?;
		ensure!(!Reveals::<T>::contains_key(model, evaluator), Error::<T>::AlreadyRevealed);
		let digest = Artifacts::<T>::get(model).ok_or(Error::<T>::UnknownArtifact)?.digest;
		ensure!(
			Self::commitment(model, digest, code, data, &scores, salt) == committed,
			Error::<T>::CommitmentMismatch
		);
		ensure!(!scores.is_empty(), Error::<T>::EmptyScores);
		ensure!(scores.windows(2).all(|w| w[0].0 < w[1].0), Error::<T>::ScoresNotSorted);
		let contributors = Contributors::<T>::get(model).unwrap_or_default();
		ensure!(
			scores.iter().all(|(who, _)| contributors.binary_search(who).is_ok()),
			Error::<T>::NotAContributor
		);

		round.revealed += 1;
		Rounds::<T>::insert(model, round);
		Reveals::<T>::insert(model, evaluator, Reveal { code, data, scores: scores.clone() });
		Self::deposit_event(Event::ScoresRevealed { model, evaluator, code, data, scores });
		Ok(())
	}

	/// The body of [`Pallet::finalize_scores`].
	pub(crate) fn do_finalize_scores(model: ArtifactId) -> DispatchResult {
		let round = Rounds::<T>::get(model).ok_or(Error::<T>::NoRound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now > round.reveal_until, Error::<T>::RoundNotOver);

		let reveals: Vec<(OrganizationId, RevealOf<T>)> =
			Reveals::<T>::iter_prefix(model).collect();
		let contributors = Contributors::<T>::get(model).unwrap_or_default();
		let score_of = |reveal: &RevealOf<T>, who: &T::AccountId| {
			reveal.scores.binary_search_by(|(c, _)| c.cmp(who)).map_or(0, |i| reveal.scores[i].1)
		};
		let medians: Vec<u64> = contributors
			.iter()
			.map(|who| {
				let mut values: Vec<u32> = reveals.iter().map(|(_, r)| score_of(r, who)).collect();
				u64::from(lower_median(&mut values))
			})
			.collect();
		let enough = round.revealed >= T::MinEvaluators::get();
		let points = if enough { to_points(&medians) } else { None };

		let silent: Vec<OrganizationId> = Commitments::<T>::iter_key_prefix(model)
			.filter(|evaluator| !reveals.iter().any(|(e, _)| e == evaluator))
			.collect();
		Rounds::<T>::remove(model);
		let _ = Commitments::<T>::clear_prefix(model, T::MaxEvaluators::get(), None);
		let _ = Reveals::<T>::clear_prefix(model, T::MaxEvaluators::get(), None);
		for evaluator in silent {
			Self::deposit_event(Event::EvaluatorSilent { model, evaluator });
		}
		let Some(points) = points else {
			Self::deposit_event(Event::ScoringFailed { model, revealed: round.revealed });
			return Ok(());
		};

		for (evaluator, reveal) in &reveals {
			let own: Vec<u64> =
				contributors.iter().map(|who| u64::from(score_of(reveal, who))).collect();
			let own = to_points(&own).unwrap_or_else(|| vec![0; contributors.len()]);
			let distance = distance(&own, &points);
			if distance > T::OutlierDistance::get() {
				Self::deposit_event(Event::EvaluatorFlagged {
					model,
					evaluator: *evaluator,
					distance,
				});
			}
		}
		let mut scores = Vec::new();
		for (who, points) in contributors.iter().zip(points) {
			if points > 0 {
				Scores::<T>::insert(model, who, points);
				scores.push((who.clone(), points));
			}
		}
		Pools::<T>::insert(model, Pool::default());
		let scores = ScoresOf::<T>::truncate_from(scores);
		Self::deposit_event(Event::ScoresFinalized { model, evaluators: round.revealed, scores });
		Ok(())
	}
}
