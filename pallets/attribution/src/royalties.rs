//! Royalty pools: how a payment into a model's pool is split, the two ways money enters (a
//! licensee's fee, a sponsor's milestone reward released by a record), and claims.
//!
//! A payment is split at once and exactly ([`shares`]), at a cost that does not depend on how
//! many contributors the model has: each upstream royalty is credited to its beneficiary, and
//! what is left is spread over the [`POINTS`] points of the final scores by raising the pool's
//! `per_point`; what does not divide by `POINTS` (less than `POINTS` of the smallest unit) goes
//! to the model's contributor. A contributor's claim is then its points times `per_point`, less
//! what it claimed before, plus what it is owed directly: one call, reading only its own entries.

use crate::*;
use frame::traits::tokens::Preservation;
use perfledger_primitives::IdSequence;

/// How one payment into a pool splits.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Shares<Balance> {
	/// Each royalty's cut, in the order given: `share` of the payment, rounded down.
	pub royalties: Vec<Balance>,
	/// What each point of the final scores earns: what is left after the royalties, divided by
	/// [`POINTS`], rounded down.
	pub per_point: Balance,
	/// What is left after that (less than `POINTS`): the model's contributor's.
	pub remainder: Balance,
}

/// How `amount` splits over `royalties` (each a share of the whole payment) and the points.
/// Exact: the royalties' cuts, `per_point * POINTS` and the remainder add up to `amount`.
/// `royalties` must add up to at most the whole (which registration ensures).
pub fn shares<Balance: frame::traits::tokens::Balance>(
	amount: Balance,
	royalties: &[Permill],
) -> Shares<Balance> {
	let cuts: Vec<Balance> = royalties.iter().map(|share| share.mul_floor(amount)).collect();
	let taken = cuts.iter().fold(Balance::zero(), |sum, cut| sum.saturating_add(*cut));
	let left = amount.saturating_sub(taken);
	let points = Balance::from(POINTS);
	let per_point = left / points;
	let remainder = left - per_point * points;
	Shares { royalties: cuts, per_point, remainder }
}

impl<T: Config> Pallet<T> {
	/// Splits `amount`, already in the pallet's account, into `model`'s pool: credits the
	/// royalties and the remainder, raises `per_point`. Checks before it writes: `NoScores` if
	/// the pool is not open, `Overflow` if its totals would.
	pub(crate) fn split_into_pool(
		model: ArtifactId,
		amount: BalanceOf<T>,
		revenue: Revenue,
	) -> DispatchResult {
		let mut pool = Pools::<T>::get(model).ok_or(Error::<T>::NoScores)?;
		let contributor =
			Artifacts::<T>::get(model).ok_or(Error::<T>::UnknownArtifact)?.contributor;
		let royalties = Lineage::<T>::get(model).map(|l| l.royalties).unwrap_or_default();
		let split = shares(amount, &royalties.iter().map(|r| r.share).collect::<Vec<_>>());
		let royalties_total =
			split.royalties.iter().fold(BalanceOf::<T>::zero(), |sum, cut| sum + *cut);
		pool.paid = pool.paid.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		pool.royalties =
			pool.royalties.checked_add(&royalties_total).ok_or(Error::<T>::Overflow)?;
		pool.remainders =
			pool.remainders.checked_add(&split.remainder).ok_or(Error::<T>::Overflow)?;
		pool.per_point =
			pool.per_point.checked_add(&split.per_point).ok_or(Error::<T>::Overflow)?;
		// The largest claim, `POINTS * per_point`, must not overflow either.
		pool.per_point.checked_mul(&BalanceOf::<T>::from(POINTS)).ok_or(Error::<T>::Overflow)?;

		for (royalty, cut) in royalties.iter().zip(&split.royalties) {
			if !cut.is_zero() {
				Owed::<T>::mutate(model, &royalty.beneficiary, |owed| {
					*owed = owed.saturating_add(*cut)
				});
			}
		}
		if !split.remainder.is_zero() {
			Owed::<T>::mutate(model, &contributor, |owed| {
				*owed = owed.saturating_add(split.remainder)
			});
		}
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::RevenueSplit {
			model,
			revenue,
			amount,
			royalties: royalties_total,
			per_point: split.per_point,
			remainder: split.remainder,
		});
		Ok(())
	}

	/// The body of [`Pallet::offer_license`].
	pub(crate) fn do_offer_license(
		who: T::AccountId,
		model: ArtifactId,
		fee: Option<BalanceOf<T>>,
	) -> DispatchResult {
		let artifact = Artifacts::<T>::get(model).ok_or(Error::<T>::UnknownArtifact)?;
		let organization = Self::acting_for(&who, Action::Administer)?;
		ensure!(organization == artifact.organization, Error::<T>::NotPermitted);
		ensure!(artifact.kind == ArtifactKind::Checkpoint, Error::<T>::NotAModel);
		match fee {
			Some(fee) => {
				ensure!(!fee.is_zero(), Error::<T>::ZeroAmount);
				Self::ensure_commercial(model)?;
				LicenseFees::<T>::insert(model, fee);
			}
			None => LicenseFees::<T>::remove(model),
		}
		Self::deposit_event(Event::LicenseOffered { model, fee });
		Ok(())
	}

	/// `CommercialUseForbidden` if `model` or an artifact it descends from forbids it.
	fn ensure_commercial(model: ArtifactId) -> DispatchResult {
		let restrictions = Lineage::<T>::get(model).map(|l| l.restrictions).unwrap_or_default();
		ensure!(restrictions.no_commercial.is_none(), Error::<T>::CommercialUseForbidden);
		Ok(())
	}

	/// The body of [`Pallet::buy_license`].
	pub(crate) fn do_buy_license(
		who: T::AccountId,
		model: ArtifactId,
		fee: BalanceOf<T>,
	) -> DispatchResult {
		Self::acting_for(&who, Action::Administer)?;
		Self::model(model)?;
		ensure!(Pools::<T>::contains_key(model), Error::<T>::NoScores);
		let offered = LicenseFees::<T>::get(model).ok_or(Error::<T>::NoLicenseOffer)?;
		ensure!(offered == fee, Error::<T>::FeeChanged);
		ensure!(!Licensees::<T>::contains_key(model, &who), Error::<T>::AlreadyLicensed);
		Self::ensure_commercial(model)?;

		T::Currency::transfer(&who, &Self::account_id(), fee, Preservation::Preserve)
			.map_err(|_| Error::<T>::InsufficientFunds)?;
		Self::split_into_pool(model, fee, Revenue::LicenseFee)?;
		Licensees::<T>::insert(model, &who, frame_system::Pallet::<T>::block_number());
		Self::deposit_event(Event::LicenseBought { model, licensee: who, fee });
		Ok(())
	}

	/// The body of [`Pallet::sponsor_milestone`].
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_sponsor_milestone(
		who: T::AccountId,
		model: ArtifactId,
		metric: MetricId,
		reporter: OrganizationId,
		threshold: i128,
		crossing: Crossing,
		reward: BalanceOf<T>,
		expires_at: BlockNumberFor<T>,
	) -> DispatchResult {
		let sponsor_organization = Self::acting_for(&who, Action::Administer)?;
		Self::model(model)?;
		ensure!(Pools::<T>::contains_key(model), Error::<T>::NoScores);
		ensure!(!reward.is_zero(), Error::<T>::ZeroAmount);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(expires_at > now, Error::<T>::ExpiryInThePast);
		ensure!(
			expires_at <= now.saturating_add(T::MaxMilestoneBlocks::get()),
			Error::<T>::ExpiryTooFar
		);
		let mut watchers = Watching::<T>::get(metric, model);
		ensure!(!watchers.is_full(), Error::<T>::TooManyMilestones);
		let escrowed = Escrowed::<T>::get().checked_add(&reward).ok_or(Error::<T>::Overflow)?;
		let milestone = NextMilestoneId::<T>::allocate().ok_or(Error::<T>::Overflow)?;

		T::Currency::transfer(&who, &Self::account_id(), reward, Preservation::Preserve)
			.map_err(|_| Error::<T>::InsufficientFunds)?;
		let pushed = watchers.try_push(milestone);
		debug_assert!(pushed.is_ok(), "room checked above");
		Watching::<T>::insert(metric, model, watchers);
		Escrowed::<T>::put(escrowed);
		Milestones::<T>::insert(
			milestone,
			Milestone {
				model,
				sponsor: who.clone(),
				sponsor_organization,
				metric,
				reporter,
				threshold,
				crossing,
				reward,
				expires_at,
			},
		);
		Self::deposit_event(Event::MilestoneSponsored {
			milestone,
			model,
			sponsor: who,
			metric,
			reporter,
			threshold,
			crossing,
			reward,
			expires_at,
		});
		Ok(())
	}

	/// The body of [`Pallet::withdraw_milestone`].
	pub(crate) fn do_withdraw_milestone(
		who: T::AccountId,
		milestone: MilestoneId,
	) -> DispatchResult {
		let details = Milestones::<T>::get(milestone).ok_or(Error::<T>::UnknownMilestone)?;
		ensure!(details.sponsor == who, Error::<T>::NotSponsor);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now > details.expires_at, Error::<T>::MilestoneNotExpired);

		T::Currency::transfer(&Self::account_id(), &who, details.reward, Preservation::Preserve)?;
		Self::forget_milestone(milestone, &details);
		Self::deposit_event(Event::MilestoneWithdrawn { milestone, refunded: details.reward });
		Ok(())
	}

	/// Removes a milestone that was reached or withdrawn.
	fn forget_milestone(milestone: MilestoneId, details: &MilestoneOf<T>) {
		Watching::<T>::mutate_exists(details.metric, details.model, |watchers| {
			if let Some(list) = watchers {
				list.retain(|id| *id != milestone);
				if list.is_empty() {
					*watchers = None;
				}
			}
		});
		Escrowed::<T>::mutate(|escrowed| *escrowed = escrowed.saturating_sub(details.reward));
		Milestones::<T>::remove(milestone);
	}

	/// The [`OnRecorded`] hook: releases every milestone a new record reaches. A record is about
	/// a model if its subject is the model's ([`model_subject`]); it reaches a milestone waiting
	/// on its metric if its organization is the milestone's reporter, its value is on the
	/// milestone's side of the threshold, and the milestone has not expired. Returns the weight
	/// used: next to nothing for a record about no model, one read for a model nobody sponsors.
	pub(crate) fn release_milestones(
		record: u64,
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		value: i128,
	) -> Weight {
		let Some(model) = parse_model_subject(subject) else { return Weight::zero() };
		let watchers = Watching::<T>::get(metric, model);
		if watchers.is_empty() {
			return T::DbWeight::get().reads(1);
		}
		let used = T::WeightInfo::on_recorded(watchers.len() as u32, T::MaxRoyalties::get());
		let now = frame_system::Pallet::<T>::block_number();
		for milestone in watchers {
			let Some(details) = Milestones::<T>::get(milestone) else { continue };
			if details.reporter != organization
				|| !details.crossing.reached(value, details.threshold)
				|| now > details.expires_at
			{
				continue;
			}
			// The reward is in the pallet's account already; the split only credits it.
			if Self::split_into_pool(model, details.reward, Revenue::Milestone(milestone)).is_ok() {
				Self::forget_milestone(milestone, &details);
				Self::deposit_event(Event::MilestoneReached { milestone, record });
			}
		}
		used
	}

	/// What `model`'s pool owes `who` now: its scored share of what was paid in, less what it
	/// claimed of it, and what it is owed directly.
	pub fn claimable(model: ArtifactId, who: &T::AccountId) -> BalanceOf<T> {
		let Some(pool) = Pools::<T>::get(model) else { return Zero::zero() };
		Self::scored_share(&pool, model, who)
			.saturating_sub(Claimed::<T>::get(model, who))
			.saturating_add(Owed::<T>::get(model, who))
	}

	/// `who`'s points in `model` times the pool's `per_point`: its scored share of everything
	/// paid in.
	pub(crate) fn scored_share(
		pool: &PoolOf<T>,
		model: ArtifactId,
		who: &T::AccountId,
	) -> BalanceOf<T> {
		let points = Scores::<T>::get(model, who).unwrap_or(0);
		pool.per_point.saturating_mul(BalanceOf::<T>::from(points))
	}

	/// The body of [`Pallet::claim`].
	pub(crate) fn do_claim(model: ArtifactId, beneficiary: T::AccountId) -> DispatchResult {
		let mut pool = Pools::<T>::get(model).ok_or(Error::<T>::NoScores)?;
		let share = Self::scored_share(&pool, model, &beneficiary);
		let unclaimed = share.saturating_sub(Claimed::<T>::get(model, &beneficiary));
		let owed = Owed::<T>::get(model, &beneficiary);
		let amount = unclaimed.checked_add(&owed).ok_or(Error::<T>::Overflow)?;
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		pool.claimed = pool.claimed.checked_add(&amount).ok_or(Error::<T>::Overflow)?;

		T::Currency::transfer(&Self::account_id(), &beneficiary, amount, Preservation::Preserve)?;
		Claimed::<T>::insert(model, &beneficiary, share);
		Owed::<T>::remove(model, &beneficiary);
		Pools::<T>::insert(model, pool);
		Self::deposit_event(Event::Claimed { model, who: beneficiary, amount });
		Ok(())
	}
}
