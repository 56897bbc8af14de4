//! # SLA escrow
//!
//! A buyer and a provider agree a service level; the buyer's payment is held on chain and
//! released, reduced or refunded by the recorded metrics alone.
//!
//! - **Agreements** ([`Terms`]): the metric and subject, the measure compared ([`Measure`]:
//!   mean, min, max, sum or count of a reporting period's values), the target and which side
//!   of it is good, tiers of reduced payment below it, a floor, an optional bonus beyond it,
//!   the periods covered and the amount per period, the reporters and devices whose records
//!   count, the missing-data rule, and whether the provider's threshold proofs stand in for
//!   raw values. The buyer proposes ([`Pallet::propose`]); nothing is held until the provider
//!   accepts ([`Pallet::accept`]).
//! - **Escrow**: on acceptance every period's amount (and bonus) is held on the buyer's
//!   account with the balances pallet's holds ([`HoldReason::Escrow`]); it never leaves the
//!   buyer's account except to the provider.
//! - **Settlement**: when a period ends (plus the agreement's grace for late records), the
//!   pallet settles it by itself in `on_initialize`: it reads the period's figures over the
//!   accepted reporters from the records pallet ([`perfledger_primitives::PerformanceData`]),
//!   or the provider's proven range from the disclosure pallet
//!   ([`perfledger_primitives::ThresholdClaims`]), and decides the provider's share. The funds
//!   move when the dispute window closes: the provider's share to the provider, the rest
//!   released to the buyer, to the unit. Work per block is bounded ([`Config::MaxHookWeight`]);
//!   what does not fit waits for the next block, and [`Pallet::settle_due`] and
//!   [`Pallet::pay_due`] let anyone push a due step through by hand.
//! - **Disputes**: within the window either party disputes a settlement
//!   ([`Pallet::dispute`]); the funds stay held until the council rules with a split
//!   ([`Pallet::resolve_dispute`]).
//! - **Cancellation** by both parties ([`Pallet::request_cancellation`]) refunds the periods
//!   not yet settled.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame::{
	arithmetic::Permill,
	prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
		UnixTime,
	},
};
pub use pallet::*;
use perfledger_primitives::{
	Action, Aggregate, MetricId, MetricReliance, OrganizationId, PerformanceData, Permissions,
	ProvenRange, Target, ThresholdClaims,
};
pub use types::*;
pub use weights::WeightInfo;

/// How many buckets, from the due one, a job may be queued in before it is given up on (with
/// a `QueueFull` event: `settle_due` and `pay_due` still push it through).
const SCHEDULE_TRIES: u32 = 8;

/// A balance of the runtime's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A subject as stored.
pub type SubjectOf<T> = BoundedVec<u8, <T as Config>::MaxSubjectLength>;
/// The tiers of an agreement.
pub type TiersOf<T> = BoundedVec<Tier, <T as Config>::MaxTiers>;
/// The reporters of an agreement.
pub type ReportersOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxReporters>;
/// Terms as calls take them.
pub type TermsOf<T> = Terms<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	SubjectOf<T>,
	TiersOf<T>,
	ReportersOf<T>,
>;
/// An agreement as stored.
pub type AgreementOf<T> =
	Agreement<<T as frame_system::Config>::AccountId, BalanceOf<T>, TermsOf<T>>;
/// A settlement as stored.
pub type SettlementOf<T> = Settlement<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
/// The jobs due in one bucket of time.
pub type JobsOf<T> = BoundedVec<Job, <T as Config>::MaxJobsPerBucket>;

/// Sets up what the benchmarks need in the pallets this one asks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// An admin of a new organization (a different one for each `index`).
	fn admin(index: u32) -> AccountId;
	/// A metric whose periods are `period_ms` long and whose first period is current.
	fn metric() -> perfledger_primitives::MetricId;
	/// Records one value by `reporter` for `subject` in the metric's current period.
	fn record(reporter: &AccountId, subject: &[u8], value: i128);
}

#[frame::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why funds are held.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The buyer's payments for its agreements, until each period is settled and paid.
		Escrow,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The currency, with holds.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;

		/// Who may do what (the permissions pallet).
		type Permissions: Permissions<Self::AccountId>;

		/// The performance records the settlements read.
		type Records: PerformanceData<Self::AccountId>;

		/// What providers proved without revealing values (the disclosure pallet).
		type Proofs: ThresholdClaims;

		/// The chain's clock.
		type Clock: UnixTime;

		/// The council, ruling on disputes.
		type CouncilOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The shortest dispute window (ms) an agreement may set.
		#[pallet::constant]
		type MinDisputeWindow: Get<u64>;

		/// The longest dispute window (ms) an agreement may set.
		#[pallet::constant]
		type MaxDisputeWindow: Get<u64>;

		/// The longest grace (ms) after a period's end for late records.
		#[pallet::constant]
		type MaxGrace: Get<u64>;

		/// How long (ms) after a failed payment the hook tries it again.
		#[pallet::constant]
		type PaymentRetryMs: Get<u64>;

		/// The width (ms) of the time buckets jobs are queued in: about a block.
		#[pallet::constant]
		type BucketMs: Get<u64>;

		/// The most jobs queued in one bucket; more go to the next ones (up to 8 buckets on).
		#[pallet::constant]
		type MaxJobsPerBucket: Get<u32>;

		/// The most weight `on_initialize` spends on settlements and payments in a block.
		#[pallet::constant]
		type MaxHookWeight: Get<Weight>;

		/// The most empty buckets `on_initialize` steps over in a block (catching up after a
		/// halt).
		#[pallet::constant]
		type MaxBucketSteps: Get<u32>;

		/// The most periods an agreement covers.
		#[pallet::constant]
		type MaxPeriods: Get<u32>;

		/// The most tiers an agreement has.
		#[pallet::constant]
		type MaxTiers: Get<u32>;

		/// The most reporters and devices an agreement accepts.
		#[pallet::constant]
		type MaxReporters: Get<u32>;

		/// The longest subject, in bytes.
		#[pallet::constant]
		type MaxSubjectLength: Get<u32>;

		/// Weights of this pallet's calls and hook.
		type WeightInfo: WeightInfo;

		/// Sets up organizations, a metric and records for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next agreement gets.
	#[pallet::storage]
	pub type NextAgreementId<T: Config> = StorageValue<_, AgreementId, ValueQuery>;

	/// Every agreement.
	#[pallet::storage]
	pub type Agreements<T: Config> = StorageMap<_, Twox64Concat, AgreementId, AgreementOf<T>>;

	/// Every settlement, by agreement and period: the settlement history.
	#[pallet::storage]
	pub type Settlements<T: Config> =
		StorageDoubleMap<_, Twox64Concat, AgreementId, Twox64Concat, u64, SettlementOf<T>>;

	/// Jobs waiting for their time, by bucket (`ms / BucketMs`).
	#[pallet::storage]
	pub type Queue<T: Config> = StorageMap<_, Twox64Concat, u64, JobsOf<T>, ValueQuery>;

	/// The next bucket `on_initialize` looks at.
	#[pallet::storage]
	pub type Cursor<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// How many jobs are queued.
	#[pallet::storage]
	pub type Queued<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// How many active agreements settle by each metric: while any does, the records pallet
	/// keeps the metric's owner from retiring it or changing what its records may hold
	/// ([`MetricReliance`]).
	#[pallet::storage]
	pub type ActiveByMetric<T: Config> = StorageMap<_, Twox64Concat, MetricId, u32, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A buyer proposed an agreement.
		Proposed {
			agreement: AgreementId,
			buyer: T::AccountId,
			provider: T::AccountId,
			metric: perfledger_primitives::MetricId,
			periods: u32,
			amount: BalanceOf<T>,
		},
		/// The buyer withdrew an offer the provider had not accepted.
		OfferWithdrawn { agreement: AgreementId },
		/// The provider accepted: `held` is held on the buyer's account.
		Accepted { agreement: AgreementId, held: BalanceOf<T> },
		/// A period was settled; the funds move at `pay_at` (ms) unless disputed.
		Settled {
			agreement: AgreementId,
			period: u64,
			basis: Basis,
			payout: Permill,
			bonus: bool,
			provider_share: BalanceOf<T>,
			buyer_share: BalanceOf<T>,
			pay_at: u64,
		},
		/// A settled period was paid: the provider received its share, the buyer the rest.
		Paid {
			agreement: AgreementId,
			period: u64,
			provider_share: BalanceOf<T>,
			buyer_share: BalanceOf<T>,
		},
		/// A payment failed (for example, the provider's account cannot receive it); the funds
		/// stay held, the payment is queued again `PaymentRetryMs` later, and `pay_due` may
		/// push it through before.
		PaymentFailed { agreement: AgreementId, period: u64, error: DispatchError },
		/// A party disputed a settlement: the funds stay held until the council rules.
		Disputed { agreement: AgreementId, period: u64, by: T::AccountId },
		/// The council ruled on a dispute and the funds moved as it split them.
		DisputeResolved {
			agreement: AgreementId,
			period: u64,
			provider_share: BalanceOf<T>,
			buyer_share: BalanceOf<T>,
		},
		/// A party asked to cancel; the other must ask too.
		CancellationRequested { agreement: AgreementId, by: T::AccountId },
		/// Both parties cancelled: `refunded` (the unsettled periods) was released to the buyer.
		Cancelled { agreement: AgreementId, refunded: BalanceOf<T> },
		/// Every period of the agreement settled.
		Completed { agreement: AgreementId },
		/// A job could not be queued (its buckets were full); `settle_due` or `pay_due` push
		/// it through by hand.
		QueueFull { job: Job },
		/// A party withdrew its request to cancel before the other asked too.
		CancellationWithdrawn { agreement: AgreementId, by: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The signer acts for no organization.
		NoOrganization,
		/// The signer lacks the role this needs (an admin of its organization).
		NotPermitted,
		/// The provider acts for no organization.
		ProviderWithoutOrganization,
		/// Buyer and provider must be different organizations.
		SameOrganization,
		/// No metric has this id.
		UnknownMetric,
		/// An agreement covers at least one period, at most `MaxPeriods`.
		BadPeriods,
		/// The amount per period must be more than zero.
		ZeroAmount,
		/// The dispute window must be between `MinDisputeWindow` and `MaxDisputeWindow`.
		BadDisputeWindow,
		/// The grace for late records must be at most `MaxGrace`.
		BadGrace,
		/// Tiers must be worse than the target and each worse than the one before, paying less.
		TiersOutOfOrder,
		/// The floor must pay less than every tier.
		FloorAboveTiers,
		/// A bonus's bound must be beyond the target.
		BonusNotBeyondTarget,
		/// Without reporters nor proofs, nothing could ever count.
		NoEvidence,
		/// A reporter is listed twice: its values would count twice.
		DuplicateReporter,
		/// The first period has already ended.
		PeriodPassed,
		/// No agreement has this id.
		UnknownAgreement,
		/// Only the agreement's provider may do this.
		NotProvider,
		/// Only the agreement's buyer may do this.
		NotBuyer,
		/// Only the agreement's buyer or provider may do this.
		NotParty,
		/// The agreement is not waiting for acceptance.
		NotProposed,
		/// The agreement is not active.
		NotActive,
		/// The buyer cannot hold the agreement's funds.
		InsufficientFunds,
		/// No settlement of this period.
		UnknownSettlement,
		/// The settlement is not open to dispute (paid, disputed, or its window closed).
		NotDisputable,
		/// The settlement is not disputed.
		NotDisputed,
		/// The provider's share exceeds what the period holds.
		ShareAboveTotal,
		/// The step is not due yet.
		NotDue,
		/// This party already asked to cancel.
		AlreadyRequested,
		/// A period has ended without being settled yet: it settles (and pays) on its records
		/// first; cancel after its settlement.
		SettleFirst,
		/// The amounts overflow.
		Overflow,
		/// The caller has no standing request to cancel this agreement.
		NoCancellationRequest,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			Self::run_due_jobs()
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Proposes an agreement to `terms.provider`, the signer paying. Nothing is held until
		/// the provider accepts.
		///
		/// The signer needs the OrganizationAdmin role of its organization.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::propose())]
		pub fn propose(origin: OriginFor<T>, terms: TermsOf<T>) -> DispatchResult {
			let buyer = ensure_signed(origin)?;
			let buyer_organization = Self::admin_organization(&buyer)?;
			let provider_organization = T::Permissions::organization_of(&terms.provider)
				.ok_or(Error::<T>::ProviderWithoutOrganization)?;
			ensure!(provider_organization != buyer_organization, Error::<T>::SameOrganization);
			Self::check_terms(&terms)?;
			Self::total(&terms)?;

			let agreement =
				NextAgreementId::<T>::mutate(|next| core::mem::replace(next, *next + 1));
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

		/// Withdraws an offer the provider has not accepted. By the buyer.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw_offer())]
		pub fn withdraw_offer(origin: OriginFor<T>, agreement: AgreementId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let offer = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
			ensure!(offer.buyer == who, Error::<T>::NotBuyer);
			ensure!(offer.status == AgreementStatus::Proposed, Error::<T>::NotProposed);
			Agreements::<T>::remove(agreement);
			Self::deposit_event(Event::OfferWithdrawn { agreement });
			Ok(())
		}

		/// Accepts the terms as the provider: every period's amount and bonus is held on the
		/// buyer's account, and the first period settles when it ends.
		///
		/// The signer must be the provider and an OrganizationAdmin of its organization.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::accept())]
		pub fn accept(origin: OriginFor<T>, agreement: AgreementId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut offer = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
			ensure!(offer.terms.provider == who, Error::<T>::NotProvider);
			ensure!(offer.status == AgreementStatus::Proposed, Error::<T>::NotProposed);
			ensure!(
				Self::admin_organization(&who)? == offer.provider_organization,
				Error::<T>::NotPermitted
			);
			let due = Self::settle_time(&offer.terms, offer.terms.first_period)?;
			ensure!(due > Self::now(), Error::<T>::PeriodPassed);
			let held = Self::total(&offer.terms)?;
			T::Currency::hold(&HoldReason::Escrow.into(), &offer.buyer, held)
				.map_err(|_| Error::<T>::InsufficientFunds)?;

			let offer_first_period = offer.terms.first_period;
			ActiveByMetric::<T>::mutate(offer.terms.metric, |n| *n = n.saturating_add(1));
			offer.status = AgreementStatus::Active;
			offer.held = held;
			Agreements::<T>::insert(agreement, offer);
			Self::schedule(due, Job::Settle(agreement, offer_first_period));
			Self::deposit_event(Event::Accepted { agreement, held });
			Ok(())
		}

		/// Disputes a settlement within its window: the funds stay held until the council
		/// rules. By the buyer or the provider.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::dispute())]
		pub fn dispute(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let deal = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
			ensure!(who == deal.buyer || who == deal.terms.provider, Error::<T>::NotParty);
			Settlements::<T>::try_mutate(agreement, period, |slot| {
				let settlement = slot.as_mut().ok_or(Error::<T>::UnknownSettlement)?;
				match settlement.status {
					SettlementStatus::Open { pay_at } if Self::now() < pay_at => {
						settlement.status = SettlementStatus::Disputed { by: who.clone() };
						Ok::<_, Error<T>>(())
					}
					_ => Err(Error::<T>::NotDisputable),
				}
			})?;
			Self::deposit_event(Event::Disputed { agreement, period, by: who });
			Ok(())
		}

		/// Rules on a disputed settlement: the provider receives `provider_share` of the
		/// period's held funds and the buyer the rest. Origin: `CouncilOrigin`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::resolve_dispute())]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: u64,
			provider_share: BalanceOf<T>,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			let deal = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
			let settlement =
				Settlements::<T>::get(agreement, period).ok_or(Error::<T>::UnknownSettlement)?;
			ensure!(
				matches!(settlement.status, SettlementStatus::Disputed { .. }),
				Error::<T>::NotDisputed
			);
			let total = settlement.provider_share.saturating_add(settlement.buyer_share);
			ensure!(provider_share <= total, Error::<T>::ShareAboveTotal);
			let buyer_share = total - provider_share;
			Self::pay(
				agreement,
				deal,
				period,
				provider_share,
				buyer_share,
				SettlementStatus::Resolved,
			)?;
			Self::deposit_event(Event::DisputeResolved {
				agreement,
				period,
				provider_share,
				buyer_share,
			});
			Ok(())
		}

		/// Asks to cancel. When both parties asked, the periods not yet settled are refunded
		/// to the buyer; settled periods still pay out. A party may withdraw its request until
		/// the other asks too ([`Pallet::withdraw_cancellation`]).
		///
		/// Only the buyer or the provider may ask, while the agreement is active.
		///
		/// ## Errors
		/// - `UnknownAgreement`, `NotParty`, `NotActive`, `AlreadyRequested`.
		/// - `SettleFirst`: a period has ended without being settled: it settles on its
		///   records first.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::request_cancellation())]
		pub fn request_cancellation(
			origin: OriginFor<T>,
			agreement: AgreementId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut deal = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
			ensure!(who == deal.buyer || who == deal.terms.provider, Error::<T>::NotParty);
			ensure!(deal.status == AgreementStatus::Active, Error::<T>::NotActive);
			match &deal.cancellation_requested_by {
				Some(earlier) if *earlier == who => return Err(Error::<T>::AlreadyRequested.into()),
				Some(_) => {}
				None => {
					deal.cancellation_requested_by = Some(who.clone());
					Agreements::<T>::insert(agreement, deal);
					Self::deposit_event(Event::CancellationRequested { agreement, by: who });
					return Ok(());
				}
			}
			// A period that has ended is settled on its records, not refunded: otherwise a party
			// holding the other's old request could cancel a delivered period away.
			let next_end = Self::period_end(&deal.terms, Self::next_period(&deal))?;
			ensure!(Self::now() < next_end, Error::<T>::SettleFirst);
			let unsettled = deal.terms.periods.saturating_sub(deal.settled);
			let refunded = Self::period_total(&deal.terms)?
				.checked_mul(&unsettled.into())
				.ok_or(Error::<T>::Overflow)?;
			T::Currency::release(
				&HoldReason::Escrow.into(),
				&deal.buyer,
				refunded,
				Precision::Exact,
			)?;
			deal.held = deal.held.saturating_sub(refunded);
			deal.status = AgreementStatus::Cancelled;
			Self::release_metric(deal.terms.metric);
			deal.cancellation_requested_by = None;
			Agreements::<T>::insert(agreement, deal);
			Self::deposit_event(Event::Cancelled { agreement, refunded });
			Ok(())
		}

		/// Settles the agreement's next period if it is due (its end and grace have passed):
		/// what `on_initialize` does by itself, for anyone to push through. Moves nothing.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::settle(T::MaxReporters::get()))]
		pub fn settle_due(origin: OriginFor<T>, agreement: AgreementId) -> DispatchResult {
			ensure_signed(origin)?;
			let deal = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
			ensure!(deal.status == AgreementStatus::Active, Error::<T>::NotActive);
			ensure!(Self::settles_now(&deal, Self::next_period(&deal)), Error::<T>::NotDue);
			Self::settle(agreement, deal);
			Ok(())
		}

		/// Pays a settled period whose dispute window has closed, as settled: what
		/// `on_initialize` does by itself, for anyone to push through.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::pay())]
		pub fn pay_due(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: u64,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let (deal, settlement) = Self::due_payment(agreement, period)?;
			Self::pay_as_settled(agreement, deal, period, &settlement)?;
			Ok(())
		}

		/// Withdraws the caller's request to cancel, before the other party has asked too. A
		/// request left standing would let the other party cancel whenever that suits it (after
		/// seeing how the current period goes, say).
		///
		/// Only the party that asked may withdraw its request.
		///
		/// ## Errors
		/// - `UnknownAgreement`, `NotActive`.
		/// - `NoCancellationRequest`: the caller has no standing request to cancel.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::withdraw_cancellation())]
		pub fn withdraw_cancellation(
			origin: OriginFor<T>,
			agreement: AgreementId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut deal = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
			ensure!(deal.status == AgreementStatus::Active, Error::<T>::NotActive);
			ensure!(
				deal.cancellation_requested_by.as_ref() == Some(&who),
				Error::<T>::NoCancellationRequest
			);
			deal.cancellation_requested_by = None;
			Agreements::<T>::insert(agreement, deal);
			Self::deposit_event(Event::CancellationWithdrawn { agreement, by: who });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	fn now() -> u64 {
		T::Clock::now().as_millis() as u64
	}

	/// The signer's organization, if it is an admin of it.
	fn admin_organization(who: &T::AccountId) -> Result<OrganizationId, DispatchError> {
		let organization =
			T::Permissions::organization_of(who).ok_or(Error::<T>::NoOrganization)?;
		ensure!(
			T::Permissions::may(who, Action::Administer, &Target::organization(organization)),
			Error::<T>::NotPermitted
		);
		Ok(organization)
	}

	/// Whether `a` is on the good side of `b`, strictly.
	fn better(comparison: Comparison, a: i128, b: i128) -> bool {
		match comparison {
			Comparison::AtLeast => a > b,
			Comparison::AtMost => a < b,
		}
	}

	fn check_terms(terms: &TermsOf<T>) -> DispatchResult {
		ensure!(terms.periods > 0 && terms.periods <= T::MaxPeriods::get(), Error::<T>::BadPeriods);
		ensure!(!terms.amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(
			(T::MinDisputeWindow::get()..=T::MaxDisputeWindow::get())
				.contains(&terms.dispute_window_ms),
			Error::<T>::BadDisputeWindow
		);
		ensure!(terms.grace_ms <= T::MaxGrace::get(), Error::<T>::BadGrace);
		ensure!(!terms.reporters.is_empty() || terms.proofs_stand_in, Error::<T>::NoEvidence);
		let mut reporters = terms.reporters.to_vec();
		reporters.sort();
		reporters.dedup();
		ensure!(reporters.len() == terms.reporters.len(), Error::<T>::DuplicateReporter);
		let comparison = terms.comparison;
		let mut previous = (terms.target, Permill::one());
		for tier in &terms.tiers {
			ensure!(
				Self::better(comparison, previous.0, tier.bound) && tier.payout < previous.1,
				Error::<T>::TiersOutOfOrder
			);
			previous = (tier.bound, tier.payout);
		}
		ensure!(terms.floor < previous.1, Error::<T>::FloorAboveTiers);
		if let Some(bonus) = &terms.bonus {
			ensure!(
				Self::better(comparison, bonus.bound, terms.target),
				Error::<T>::BonusNotBeyondTarget
			);
		}
		let current =
			T::Records::period_of(terms.metric, Self::now()).ok_or(Error::<T>::UnknownMetric)?;
		ensure!(terms.first_period >= current, Error::<T>::PeriodPassed);
		Self::settle_time(terms, terms.first_period.saturating_add(terms.periods.into()))?;
		Ok(())
	}

	/// What one period holds: its amount and its bonus.
	fn period_total(terms: &TermsOf<T>) -> Result<BalanceOf<T>, DispatchError> {
		let bonus = terms.bonus.map_or(Zero::zero(), |b| b.amount);
		Ok(terms.amount.checked_add(&bonus).ok_or(Error::<T>::Overflow)?)
	}

	/// What the whole agreement holds.
	fn total(terms: &TermsOf<T>) -> Result<BalanceOf<T>, DispatchError> {
		Ok(Self::period_total(terms)?
			.checked_mul(&terms.periods.into())
			.ok_or(Error::<T>::Overflow)?)
	}

	/// When `period` ends (ms).
	fn period_end(terms: &TermsOf<T>, period: u64) -> Result<u64, DispatchError> {
		let length = T::Records::period_ms(terms.metric).ok_or(Error::<T>::UnknownMetric)?;
		period
			.checked_add(1)
			.and_then(|end| end.checked_mul(length))
			.ok_or(Error::<T>::Overflow.into())
	}

	/// When `period` settles (ms): its end plus the grace for late records.
	fn settle_time(terms: &TermsOf<T>, period: u64) -> Result<u64, DispatchError> {
		Self::period_end(terms, period)?
			.checked_add(terms.grace_ms)
			.ok_or(Error::<T>::Overflow.into())
	}

	/// Whether figures `a` meet `bound` for `measure` and `comparison`.
	fn meets(measure: Measure, comparison: Comparison, a: &Aggregate, bound: i128) -> bool {
		let count = a.count as i128;
		let (value, bound) = match measure {
			Measure::Mean => (a.sum, bound.saturating_mul(count)),
			Measure::Min => (a.min, bound),
			Measure::Max => (a.max, bound),
			Measure::Sum => (a.sum, bound),
			Measure::Count => (count, bound),
		};
		match comparison {
			Comparison::AtLeast => value >= bound,
			Comparison::AtMost => value <= bound,
		}
	}

	/// Whether a proven range shows the measure meets `bound`.
	fn proven(range: &ProvenRange, comparison: Comparison, bound: i128) -> bool {
		i64::try_from(bound).is_ok_and(|bound| match comparison {
			Comparison::AtLeast => range.at_least(bound),
			Comparison::AtMost => range.at_most(bound),
		})
	}

	/// The share the terms give the provider, and whether the bonus is earned, given a test of
	/// whether the measure meets a bound.
	fn level(terms: &TermsOf<T>, meets: impl Fn(i128) -> bool) -> (Permill, bool) {
		if meets(terms.target) {
			return (Permill::one(), terms.bonus.is_some_and(|b| meets(b.bound)));
		}
		let payout = terms.tiers.iter().find(|t| meets(t.bound)).map_or(terms.floor, |t| t.payout);
		(payout, false)
	}

	/// Decides a period: what it was based on, the provider's share of the amount, the bonus.
	pub fn evaluate(deal: &AgreementOf<T>, period: u64) -> (Basis, Permill, bool) {
		let terms = &deal.terms;
		let figures =
			T::Records::aggregate_of(terms.metric, &terms.subject, period, &terms.reporters)
				.filter(|a| a.count > 0);
		if let Some(a) = figures {
			let (payout, bonus) =
				Self::level(terms, |bound| Self::meets(terms.measure, terms.comparison, &a, bound));
			let measured = match terms.measure {
				Measure::Mean => a.sum / a.count as i128,
				Measure::Min => a.min,
				Measure::Max => a.max,
				Measure::Sum => a.sum,
				Measure::Count => a.count as i128,
			};
			return (Basis::Records { count: a.count, measured }, payout, bonus);
		}
		if terms.proofs_stand_in {
			let range = T::Proofs::proven_range(
				deal.provider_organization,
				terms.metric,
				&terms.subject,
				period,
			)
			.filter(|r| r.at_least.is_some() || r.at_most.is_some());
			if let Some(range) = range {
				let (payout, bonus) =
					Self::level(terms, |bound| Self::proven(&range, terms.comparison, bound));
				return (Basis::Proof, payout, bonus);
			}
		}
		let payout = match terms.missing_data {
			MissingData::CountAsMissed => terms.floor,
			MissingData::Refund => Permill::zero(),
			MissingData::PayInFull => Permill::one(),
		};
		(Basis::Missing, payout, false)
	}

	/// Settles the agreement's next period and queues its payment and the next settlement.
	fn settle(agreement: AgreementId, mut deal: AgreementOf<T>) {
		let period = Self::next_period(&deal);
		let (basis, payout, bonus) = Self::evaluate(&deal, period);
		let bonus_amount = deal.terms.bonus.map_or(Zero::zero(), |b| b.amount);
		let total = deal.terms.amount.saturating_add(bonus_amount);
		let provider_share = payout.mul_floor(deal.terms.amount).saturating_add(if bonus {
			bonus_amount
		} else {
			Zero::zero()
		});
		let buyer_share = total.saturating_sub(provider_share);
		let pay_at = Self::now().saturating_add(deal.terms.dispute_window_ms);
		Settlements::<T>::insert(
			agreement,
			period,
			Settlement {
				basis,
				payout,
				bonus,
				provider_share,
				buyer_share,
				status: SettlementStatus::Open { pay_at },
			},
		);
		deal.settled = deal.settled.saturating_add(1);
		let next = Self::next_period(&deal);
		let more = deal.settled < deal.terms.periods;
		let next_due = Self::settle_time(&deal.terms, next).ok();
		if !more {
			deal.status = AgreementStatus::Completed;
			Self::release_metric(deal.terms.metric);
		}
		Agreements::<T>::insert(agreement, deal);
		Self::deposit_event(Event::Settled {
			agreement,
			period,
			basis,
			payout,
			bonus,
			provider_share,
			buyer_share,
			pay_at,
		});
		Self::schedule(pay_at, Job::Pay(agreement, period));
		match (more, next_due) {
			(true, Some(due)) => Self::schedule(due, Job::Settle(agreement, next)),
			(true, None) => {}
			(false, _) => Self::deposit_event(Event::Completed { agreement }),
		}
	}

	/// Moves a period's held funds: `provider_share` to the provider, the rest released to the
	/// buyer. Changes nothing if either move fails.
	fn pay(
		agreement: AgreementId,
		mut deal: AgreementOf<T>,
		period: u64,
		provider_share: BalanceOf<T>,
		buyer_share: BalanceOf<T>,
		status: SettlementStatus<T::AccountId>,
	) -> DispatchResult {
		frame::deps::frame_support::storage::with_storage_layer(|| {
			let reason = HoldReason::Escrow.into();
			if !provider_share.is_zero() {
				T::Currency::transfer_on_hold(
					&reason,
					&deal.buyer,
					&deal.terms.provider,
					provider_share,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)?;
			}
			T::Currency::release(&reason, &deal.buyer, buyer_share, Precision::Exact)?;
			deal.held = deal.held.saturating_sub(provider_share.saturating_add(buyer_share));
			Agreements::<T>::insert(agreement, deal);
			Settlements::<T>::mutate(agreement, period, |slot| {
				if let Some(settlement) = slot {
					settlement.provider_share = provider_share;
					settlement.buyer_share = buyer_share;
					settlement.status = status;
				}
			});
			Ok(())
		})
	}

	/// The agreement and a settled period whose dispute window has closed undisputed.
	fn due_payment(
		agreement: AgreementId,
		period: u64,
	) -> Result<(AgreementOf<T>, SettlementOf<T>), DispatchError> {
		let deal = Agreements::<T>::get(agreement).ok_or(Error::<T>::UnknownAgreement)?;
		let settlement =
			Settlements::<T>::get(agreement, period).ok_or(Error::<T>::UnknownSettlement)?;
		match settlement.status {
			SettlementStatus::Open { pay_at } if pay_at <= Self::now() => Ok((deal, settlement)),
			_ => Err(Error::<T>::NotDue.into()),
		}
	}

	/// Pays a due period as it was settled, and says so.
	fn pay_as_settled(
		agreement: AgreementId,
		deal: AgreementOf<T>,
		period: u64,
		settlement: &SettlementOf<T>,
	) -> DispatchResult {
		let (provider_share, buyer_share) = (settlement.provider_share, settlement.buyer_share);
		Self::pay(agreement, deal, period, provider_share, buyer_share, SettlementStatus::Paid)?;
		Self::deposit_event(Event::Paid { agreement, period, provider_share, buyer_share });
		Ok(())
	}

	/// Whether `period` of `deal` is the one to settle now: the agreement is active, the period
	/// is its next unsettled one, and its end and grace have passed.
	fn settles_now(deal: &AgreementOf<T>, period: u64) -> bool {
		deal.status == AgreementStatus::Active
			&& Self::next_period(deal) == period
			&& Self::settle_time(&deal.terms, period).is_ok_and(|due| due <= Self::now())
	}

	/// The first period of `deal` not yet settled.
	fn next_period(deal: &AgreementOf<T>) -> u64 {
		deal.terms.first_period.saturating_add(deal.settled.into())
	}

	/// Queues `job` for the first bucket at or after `due` (ms) with room.
	fn schedule(due: u64, job: Job) {
		let width = T::BucketMs::get().max(1);
		let now_bucket = Self::now() / width;
		if Queued::<T>::get() == 0 {
			Cursor::<T>::put(now_bucket);
		}
		// Never into the bucket being run (or one already run): at least the next one.
		let mut bucket = due.div_ceil(width).max(Cursor::<T>::get().saturating_add(1));
		for _ in 0..SCHEDULE_TRIES {
			let added = Queue::<T>::mutate(bucket, |jobs| jobs.try_push(job).is_ok());
			if added {
				Queued::<T>::mutate(|n| *n = n.saturating_add(1));
				return;
			}
			bucket = bucket.saturating_add(1);
		}
		Self::deposit_event(Event::QueueFull { job });
	}

	/// The most a job can weigh.
	fn job_weight() -> Weight {
		T::WeightInfo::settle(T::MaxReporters::get()).max(T::WeightInfo::pay())
	}

	/// Runs the jobs that are due, oldest bucket first, within `MaxHookWeight`.
	fn run_due_jobs() -> Weight {
		let mut used = T::WeightInfo::hook_base();
		if Queued::<T>::get() == 0 {
			return used;
		}
		let limit = T::MaxHookWeight::get();
		let now = Self::now();
		let now_bucket = now / T::BucketMs::get().max(1);
		let mut cursor = Cursor::<T>::get();
		let mut steps = 0;
		while cursor <= now_bucket
			&& steps < T::MaxBucketSteps::get()
			&& used.saturating_add(T::WeightInfo::hook_step()).all_lte(limit)
		{
			let mut jobs = Queue::<T>::get(cursor);
			let mut done = 0;
			while done < jobs.len() && used.saturating_add(Self::job_weight()).all_lte(limit) {
				used.saturating_accrue(Self::run(jobs[done]));
				done += 1;
			}
			Queued::<T>::mutate(|n| *n = n.saturating_sub(done as u32));
			if done < jobs.len() {
				// Out of weight: the rest waits for the next block.
				jobs = jobs.into_inner().split_off(done).try_into().expect("fewer than before");
				Queue::<T>::insert(cursor, jobs);
				break;
			}
			Queue::<T>::remove(cursor);
			cursor = cursor.saturating_add(1);
			Cursor::<T>::put(cursor);
			steps += 1;
			used.saturating_accrue(T::WeightInfo::hook_step());
		}
		used
	}

	/// Runs one job; returns its weight.
	fn run(job: Job) -> Weight {
		match job {
			Job::Settle(agreement, period) => {
				let weight = T::WeightInfo::settle(T::MaxReporters::get());
				match Agreements::<T>::get(agreement) {
					Some(deal) if Self::settles_now(&deal, period) => Self::settle(agreement, deal),
					// Settled already (by `settle_due`), not due, or no longer active: a job left
					// behind, dropped.
					_ => {}
				}
				weight
			}
			Job::Pay(agreement, period) => {
				// Not due any more (disputed, or paid by hand): nothing to do.
				if let Ok((deal, settlement)) = Self::due_payment(agreement, period) {
					if let Err(error) = Self::pay_as_settled(agreement, deal, period, &settlement) {
						Self::deposit_event(Event::PaymentFailed { agreement, period, error });
						let retry_at = Self::now().saturating_add(T::PaymentRetryMs::get());
						Self::schedule(retry_at, Job::Pay(agreement, period));
					}
				}
				T::WeightInfo::pay()
			}
		}
	}

	/// An agreement's settlements, by period.
	pub fn history(agreement: AgreementId) -> Vec<(u64, SettlementOf<T>)> {
		let mut history: Vec<_> = Settlements::<T>::iter_prefix(agreement).collect();
		history.sort_by_key(|(period, _)| *period);
		history
	}

	/// Checks the pallet's invariants: each buyer's escrow hold is what its agreements hold;
	/// an agreement holds what its unpaid settlements and unsettled periods hold; the queue
	/// count matches the queue.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let mut by_buyer = alloc::collections::BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (id, deal) in Agreements::<T>::iter() {
			let unpaid = Settlements::<T>::iter_prefix(id)
				.filter(|(_, s)| {
					matches!(
						s.status,
						SettlementStatus::Open { .. } | SettlementStatus::Disputed { .. }
					)
				})
				.fold(BalanceOf::<T>::zero(), |sum, (_, s)| sum + s.provider_share + s.buyer_share);
			let unsettled = match deal.status {
				AgreementStatus::Active => {
					Self::period_total(&deal.terms)?
						* deal.terms.periods.saturating_sub(deal.settled).into()
				}
				_ => Zero::zero(),
			};
			ensure!(
				deal.held == unpaid + unsettled,
				"an agreement's hold does not match its periods"
			);
			let entry = by_buyer.entry(deal.buyer.clone()).or_insert_with(Zero::zero);
			*entry = *entry + deal.held;
		}
		for (buyer, held) in by_buyer {
			use frame::traits::fungible::InspectHold;
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Escrow.into(), &buyer) == held,
				"a buyer's escrow hold does not match its agreements"
			);
		}
		let queued: u32 = Queue::<T>::iter_values().map(|jobs| jobs.len() as u32).sum();
		ensure!(queued == Queued::<T>::get(), "the queue count does not match the queue");
		let active = Self::active_by_metric();
		ensure!(
			ActiveByMetric::<T>::iter().collect::<alloc::collections::BTreeMap<_, _>>() == active,
			"the active agreements per metric do not match the agreements"
		);
		Ok(())
	}

	/// How many active agreements settle by each metric, counted from the agreements.
	pub fn active_by_metric() -> alloc::collections::BTreeMap<MetricId, u32> {
		let mut active = alloc::collections::BTreeMap::new();
		for deal in Agreements::<T>::iter_values() {
			if deal.status == AgreementStatus::Active {
				*active.entry(deal.terms.metric).or_insert(0u32) += 1;
			}
		}
		active
	}

	/// An agreement that settled by `metric` is no longer active.
	fn release_metric(metric: MetricId) {
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
