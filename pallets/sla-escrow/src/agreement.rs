//! Agreements: how one is made and how it ends before its last period.
//!
//! - Made: the buyer proposes an offer ([`Pallet::do_propose`]); the provider accepts it
//!   ([`Pallet::do_accept`]), and every period's amount and bonus is held on the buyer's
//!   account. The buyer may withdraw an offer not yet accepted ([`Pallet::do_withdraw_offer`]).
//! - Ended early: by both parties asking to cancel ([`Pallet::do_request_cancellation`]); a
//!   party may withdraw its request until the other asks too
//!   ([`Pallet::do_withdraw_cancellation`]). An agreement also ends when its last period settles
//!   (`settlement.rs`).
//! - Who acts for an organization: [`Pallet::admin_organization`].
//! - Which metrics active agreements settle by ([`ActiveByMetric`]): counted up on acceptance,
//!   down on cancellation and completion, and told to the records pallet through
//!   [`MetricReliance`].

use crate::*;
use frame::traits::tokens::Precision;
use perfledger_primitives::IdSequence;
use perfledger_primitives::{Action, OrganizationId, Target};

impl<T: Config> Pallet<T> {
	/// Proposes an agreement on `terms`, `buyer` paying.
	pub(crate) fn do_propose(buyer: T::AccountId, terms: TermsOf<T>) -> DispatchResult {
		let buyer_organization = Self::admin_organization(&buyer)?;
		let provider_organization = T::Permissions::organization_of(&terms.provider)
			.ok_or(Error::<T>::ProviderWithoutOrganization)?;
		ensure!(provider_organization != buyer_organization, Error::<T>::SameOrganization);
		Self::check_terms(&terms)?;
		Self::total(&terms)?;

		let agreement = NextAgreementId::<T>::allocate().ok_or(Error::<T>::Overflow)?;
		Self::deposit_event(Event::Proposed {
			agreement,
			buyer: buyer.clone(),
			provider: terms.provider.clone(),
			metric: terms.metric,
			periods: terms.periods,
			amount: terms.amount,
		});
		Agreements::<T>::insert(
			agreement,
			Agreement {
				buyer,
				buyer_organization,
				provider_organization,
				terms,
				status: AgreementStatus::Proposed,
				held: Zero::zero(),
				settled: 0,
				cancellation_requested_by: None,
			},
		);
		Ok(())
	}

	/// Withdraws the offer `agreement`, for `who`, its buyer.
	pub(crate) fn do_withdraw_offer(who: T::AccountId, agreement: AgreementId) -> DispatchResult {
		let offer = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
		ensure!(offer.buyer == who, Error::<T>::NotBuyer);
		ensure!(offer.status == AgreementStatus::Proposed, Error::<T>::NotProposed);
		Agreements::<T>::remove(agreement);
		Self::deposit_event(Event::OfferWithdrawn { agreement });
		Ok(())
	}

	/// Accepts the offer `agreement`, for `who`, its provider: holds every period's amount and
	/// bonus on the buyer's account and queues the first period's settlement.
	pub(crate) fn do_accept(who: T::AccountId, agreement: AgreementId) -> DispatchResult {
		let mut offer = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
		ensure!(offer.terms.provider == who, Error::<T>::NotProvider);
		ensure!(
			Self::admin_organization(&who)? == offer.provider_organization,
			Error::<T>::NotPermitted
		);
		ensure!(offer.status == AgreementStatus::Proposed, Error::<T>::NotProposed);
		let due = Self::settle_time(&offer.terms, offer.terms.first_period)?;
		ensure!(due > Self::now(), Error::<T>::PeriodPassed);
		let held = Self::total(&offer.terms)?;
		T::Currency::hold(&HoldReason::Escrow.into(), &offer.buyer, held)
			.map_err(|_| Error::<T>::InsufficientFunds)?;

		let offer_first_period = offer.terms.first_period;
		Self::rely_on_metric(offer.terms.metric);
		offer.status = AgreementStatus::Active;
		offer.held = held;
		Agreements::<T>::insert(agreement, offer);
		Self::schedule(due, Job::Settle(agreement, offer_first_period));
		Self::deposit_event(Event::Accepted { agreement, held });
		Ok(())
	}

	/// Records `who`'s request to cancel `agreement`; when the other party asked already,
	/// cancels it: the periods not yet settled are released to the buyer.
	pub(crate) fn do_request_cancellation(
		who: T::AccountId,
		agreement: AgreementId,
	) -> DispatchResult {
		let mut details = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
		ensure!(who == details.buyer || who == details.terms.provider, Error::<T>::NotParty);
		ensure!(details.status == AgreementStatus::Active, Error::<T>::NotActive);
		match &details.cancellation_requested_by {
			Some(earlier) if *earlier == who => return Err(Error::<T>::AlreadyRequested.into()),
			Some(_) => {}
			None => {
				details.cancellation_requested_by = Some(who.clone());
				Agreements::<T>::insert(agreement, details);
				Self::deposit_event(Event::CancellationRequested { agreement, by: who });
				return Ok(());
			}
		}
		// A period that has ended is settled on its records, not refunded: otherwise a party
		// holding the other's old request could cancel a delivered period away.
		let next_end = Self::period_end(&details.terms, Self::next_period(&details))?;
		ensure!(Self::now() < next_end, Error::<T>::SettleFirst);
		let unsettled = details.terms.periods.saturating_sub(details.settled);
		let refunded = Self::period_total(&details.terms)?
			.checked_mul(&unsettled.into())
			.ok_or(Error::<T>::Overflow)?;
		T::Currency::release(
			&HoldReason::Escrow.into(),
			&details.buyer,
			refunded,
			Precision::Exact,
		)?;
		details.held = details.held.saturating_sub(refunded);
		details.status = AgreementStatus::Cancelled;
		Self::release_metric(details.terms.metric);
		details.cancellation_requested_by = None;
		Agreements::<T>::insert(agreement, details);
		Self::deposit_event(Event::Cancelled { agreement, refunded });
		Ok(())
	}

	/// Withdraws `who`'s standing request to cancel `agreement`.
	pub(crate) fn do_withdraw_cancellation(
		who: T::AccountId,
		agreement: AgreementId,
	) -> DispatchResult {
		let mut details = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
		ensure!(
			details.cancellation_requested_by.as_ref() == Some(&who),
			Error::<T>::NoCancellationRequest
		);
		ensure!(details.status == AgreementStatus::Active, Error::<T>::NotActive);
		details.cancellation_requested_by = None;
		Agreements::<T>::insert(agreement, details);
		Self::deposit_event(Event::CancellationWithdrawn { agreement, by: who });
		Ok(())
	}

	/// The signer's organization, if it is an admin of it.
	pub(crate) fn admin_organization(who: &T::AccountId) -> Result<OrganizationId, Error<T>> {
		T::Permissions::acting_for(who, Action::Administer, Target::organization)
			.map_err(Into::into)
	}

	/// How many active agreements settle by each metric, counted from the agreements.
	pub fn active_by_metric() -> alloc::collections::BTreeMap<MetricId, u32> {
		let mut active = alloc::collections::BTreeMap::new();
		for details in Agreements::<T>::iter_values() {
			if details.status == AgreementStatus::Active {
				*active.entry(details.terms.metric).or_insert(0u32) += 1;
			}
		}
		active
	}

	/// An agreement that settles by `metric` became active.
	fn rely_on_metric(metric: MetricId) {
		ActiveByMetric::<T>::mutate(metric, |n| *n = n.saturating_add(1));
	}

	/// An agreement that settled by `metric` is no longer active.
	pub(crate) fn release_metric(metric: MetricId) {
		ActiveByMetric::<T>::mutate_exists(metric, |n| {
			*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
	}
}

impl<T: Config> MetricReliance for Pallet<T> {
	fn relied_on(metric: MetricId) -> bool {
		ActiveByMetric::<T>::contains_key(metric)
	}
}
