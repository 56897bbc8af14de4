//! The pallet's invariants, checked after every test and by `try-runtime`.

use crate::*;
use frame::deps::sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// - Every pool is exact: what was paid in is its royalties, its remainders and
	///   `per_point * POINTS`; and what every party can still claim plus what was claimed equals
	///   what was paid in.
	/// - Final scores add up to [`POINTS`] for every pool.
	/// - The pallet's account holds at least the existential deposit plus everything pools and
	///   milestones owe.
	/// - Every artifact has its inheritance, its digest index, and parents registered before it;
	///   every child entry is an artifact's parent.
	/// - Milestones and their index agree, and `Escrowed` is their rewards' sum.
	pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
		let points = BalanceOf::<T>::from(POINTS);
		let mut owed_by_pools = BalanceOf::<T>::zero();
		for (model, pool) in Pools::<T>::iter() {
			ensure!(
				pool.paid == pool.royalties + pool.remainders + pool.per_point * points,
				"a pool's payments are not exactly split"
			);
			let total_points: u64 = Scores::<T>::iter_prefix_values(model).map(u64::from).sum();
			ensure!(total_points == u64::from(POINTS), "a model's final scores do not add up");
			let mut claimable = BalanceOf::<T>::zero();
			for (who, claimed) in Claimed::<T>::iter_prefix(model) {
				ensure!(
					claimed <= Self::scored_share(&pool, model, &who),
					"a contributor claimed more than its share"
				);
			}
			for (who, _) in Scores::<T>::iter_prefix(model) {
				claimable +=
					Self::scored_share(&pool, model, &who) - Claimed::<T>::get(model, &who);
			}
			for owed in Owed::<T>::iter_prefix_values(model) {
				claimable += owed;
			}
			ensure!(
				claimable + pool.claimed == pool.paid,
				"what a pool owes and paid out is not what was paid in"
			);
			owed_by_pools += claimable;
		}
		for (model, _, _) in Owed::<T>::iter() {
			ensure!(Pools::<T>::contains_key(model), "a debt of a pool that does not exist");
		}

		let mut escrowed = BalanceOf::<T>::zero();
		for (id, milestone) in Milestones::<T>::iter() {
			ensure!(
				Watching::<T>::get(milestone.metric, milestone.model).contains(&id),
				"a milestone is not watched"
			);
			escrowed += milestone.reward;
		}
		for (_, _, watchers) in Watching::<T>::iter() {
			ensure!(!watchers.is_empty(), "an empty watch list is stored");
			ensure!(
				watchers.iter().all(|id| Milestones::<T>::contains_key(id)),
				"a watched milestone does not exist"
			);
		}
		ensure!(escrowed == Escrowed::<T>::get(), "Escrowed is not the milestones' rewards");

		let held = T::Currency::balance(&Self::account_id());
		if !Pools::<T>::iter_keys().next().is_none() || !escrowed.is_zero() {
			ensure!(
				held >= T::Currency::minimum_balance() + owed_by_pools + escrowed,
				"the pallet's account holds less than it owes"
			);
		}

		for (id, artifact) in Artifacts::<T>::iter() {
			ensure!(Lineage::<T>::contains_key(id), "an artifact without its inheritance");
			ensure!(
				Contributors::<T>::get(id).is_some_and(|c| c.contains(&artifact.contributor)),
				"an artifact's contributors leave out its own"
			);
			ensure!(
				ArtifactByDigest::<T>::get(artifact.digest) == Some(id),
				"an artifact's digest does not index it"
			);
			ensure!(
				artifact.parents.iter().all(|p| *p < id),
				"a parent registered after its child"
			);
			ensure!(
				artifact.parents.iter().all(|p| Children::<T>::contains_key(p, id)),
				"a parent does not list its child"
			);
		}
		for (parent, child, ()) in Children::<T>::iter() {
			ensure!(
				Artifacts::<T>::get(child).is_some_and(|a| a.parents.contains(&parent)),
				"a child entry without its parent"
			);
		}
		Ok(())
	}
}
