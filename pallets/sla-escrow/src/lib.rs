//! # SLA escrow
//!
//! A buyer and a provider agree a service level; the buyer's payment is held on chain and
//! released, reduced or refunded by the recorded metrics alone.
//!
//! - **Terms** ([`Terms`]): the metric and subject, the measure compared ([`Measure`]:
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
//!
//! ## Terminology
//!
//! Each word means one thing in this pallet's docs and code (in code, `agreement` is an
//! [`AgreementId`] and `details` the [`Agreement`] it names).
//!
//! - **Agreement** ([`Agreement`], by [`AgreementId`]): a buyer's and a provider's terms with
//!   their escrow: what is still held, how many periods have settled, and where it stands
//!   ([`AgreementStatus`]: proposed, active, cancelled or completed).
//! - **Offer**: a proposed agreement, not yet accepted by the provider. Nothing is held for it;
//!   the buyer may withdraw it.
//! - **Terms** ([`Terms`]): what both parties agree to, fixed once proposed: the metric and
//!   what is measured, the target, tiers, floor and bonus, the periods and the amount per
//!   period, whose records count, and the windows.
//! - **Period**: one of the metric's reporting periods, numbered by the records pallet. An
//!   agreement covers `periods` consecutive periods from `first_period`; each settles on its
//!   own, once it has ended and the grace for late records has passed.
//! - **Settlement** ([`Settlement`]): the decision about one period (what it was based on,
//!   [`Basis`]; the provider's share of the amount; whether the bonus was earned) and its
//!   payment, which follows when the dispute window closes undisputed.
//! - **Dispute**: a party's objection to a settlement within its dispute window. The funds
//!   stay held until the council rules on it.
//! - **Job** ([`Job`]): work the pallet queues for itself and runs in `on_initialize`: settle
//!   a period once it is due, pay a settlement once its dispute window closes.
//!
//! ## Where is X
//!
//! - `lib.rs`: the config, storage, events, errors, the hook, and the calls. Each call checks
//!   its origin and hands over to the file below that does the work.
//! - `agreement.rs`: how an agreement is made and how it ends before its last period: propose,
//!   accept, withdraw an offer, request and withdraw a cancellation. Also who acts for an
//!   organization, and which metrics active agreements settle by ([`MetricReliance`]).
//! - `terms.rs`: what terms must satisfy, what they hold, and when a period ends and settles.
//! - `settlement.rs`: how a period settles and pays. It holds the evidence read, the pure
//!   decision (which tier a period's figures meet) and shares, the payment, disputes, and the
//!   settlement history.
//! - `queue.rs`: the job queue and the hook's run of the due jobs.
//! - `try_state.rs`: the pallet's invariants.
//! - `types.rs`: every type that is stored or appears in calls and events (their module path
//!   is part of the runtime metadata, so they stay there).
//! - `migrations.rs`, `benchmarking.rs`, `weights.rs`, `runtime_api.rs`: storage migrations,
//!   benchmarks, their weights, and the runtime API.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod agreement;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
mod queue;
pub mod runtime_api;
mod settlement;
mod terms;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame::{
	arithmetic::Permill,
	prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		UnixTime,
	},
};
pub use pallet::*;
use perfledger_primitives::{
	MetricId, MetricReliance, PerformanceData, Permissions, Refusal, ThresholdClaims,
};
pub use types::*;
pub use weights::WeightInfo;

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
		/// Proposes an agreement on `terms` to `terms.provider`, the signer paying: an offer,
		/// which holds nothing until the provider accepts it ([`Pallet::accept`]).
		///
		/// The signer needs the OrganizationAdmin role of its organization; the provider must act
		/// for another organization.
		///
		/// ## Errors
		/// - `NoOrganization`, `NotPermitted`: the signer acts for no organization, or is not its
		///   admin.
		/// - `ProviderWithoutOrganization`, `SameOrganization`.
		/// - The terms, checked in this order: `BadPeriods`, `ZeroAmount`, `BadDisputeWindow`,
		///   `BadGrace`, `NoEvidence`, `DuplicateReporter`, `TiersOutOfOrder`,
		///   `FloorAboveTiers`, `BonusNotBeyondTarget`, `UnknownMetric`, `PeriodPassed`.
		/// - `Overflow`: the periods' times, or the total to hold, overflow.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::propose())]
		pub fn propose(origin: OriginFor<T>, terms: TermsOf<T>) -> DispatchResult {
			let buyer = ensure_signed(origin)?;
			Self::do_propose(buyer, terms)
		}

		/// Withdraws an offer the provider has not accepted: the agreement is removed.
		///
		/// Only the agreement's buyer may withdraw it.
		///
		/// ## Errors
		/// - `UnknownAgreement`, `NotBuyer`.
		/// - `NotProposed`: the offer was accepted already.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw_offer())]
		pub fn withdraw_offer(origin: OriginFor<T>, agreement: AgreementId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_offer(who, agreement)
		}

		/// Accepts an offer as the provider: every period's amount and bonus is held on the
		/// buyer's account, and the first period settles when it ends.
		///
		/// The signer must be the provider and an OrganizationAdmin of its organization.
		///
		/// ## Errors
		/// - `UnknownAgreement`, `NotProvider`, `NotProposed`.
		/// - `NoOrganization`, `NotPermitted`: the signer is not an admin of the provider's
		///   organization.
		/// - `UnknownMetric`, `Overflow`: the first period's settlement time cannot be told.
		/// - `PeriodPassed`: the first period has ended (and its grace passed).
		/// - `Overflow`: the total to hold overflows.
		/// - `InsufficientFunds`: the buyer cannot hold the total.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::accept())]
		pub fn accept(origin: OriginFor<T>, agreement: AgreementId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept(who, agreement)
		}

		/// Disputes a period's settlement within its dispute window: the funds stay held until
		/// the council rules ([`Pallet::resolve_dispute`]).
		///
		/// Only the agreement's buyer or provider may dispute.
		///
		/// ## Errors
		/// - `UnknownAgreement`, `NotParty`, `UnknownSettlement`.
		/// - `NotDisputable`: the settlement is paid or disputed already, or its window has
		///   closed.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::dispute())]
		pub fn dispute(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_dispute(who, agreement, period)
		}

		/// Rules on a disputed settlement: the provider receives `provider_share` of the
		/// period's held funds and the buyer the rest.
		///
		/// Origin: `CouncilOrigin`.
		///
		/// ## Errors
		/// - `BadOrigin`, `UnknownAgreement`, `UnknownSettlement`.
		/// - `NotDisputed`: the settlement is not disputed.
		/// - `ShareAboveTotal`: `provider_share` exceeds what the period holds.
		/// - The balances pallet's error if the funds cannot move; nothing changes then.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::resolve_dispute())]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: u64,
			provider_share: BalanceOf<T>,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_resolve_dispute(agreement, period, provider_share)
		}

		/// Asks to cancel. When both parties asked, the periods not yet settled are refunded
		/// to the buyer; settled periods still pay out. A party may withdraw its request until
		/// the other asks too ([`Pallet::withdraw_cancellation`]).
		///
		/// Only the buyer or the provider may ask, while the agreement is active.
		///
		/// ## Errors
		/// - `UnknownAgreement`, `NotParty`, `NotActive`, `AlreadyRequested`.
		/// - `UnknownMetric`, `Overflow`: the next period's end cannot be told.
		/// - `SettleFirst`: a period has ended without being settled: it settles on its
		///   records first.
		/// - `Overflow`: the refund overflows.
		/// - The balances pallet's error if the refund cannot be released.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::request_cancellation())]
		pub fn request_cancellation(
			origin: OriginFor<T>,
			agreement: AgreementId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_cancellation(who, agreement)
		}

		/// Settles the agreement's next period if it is due (its end and grace have passed):
		/// what `on_initialize` does by itself, for anyone to push through. Moves no funds:
		/// the payment follows when the dispute window closes.
		///
		/// Any signed origin.
		///
		/// ## Errors
		/// - `UnknownAgreement`, `NotActive`.
		/// - `NotDue`: the next period has not ended, or its grace has not passed.
		///
		/// ## Complexity
		/// - O(R), R the agreement's reporters, whose figures are read from the records pallet
		///   (bounded by `MaxReporters`, at which the weight is charged).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::settle(T::MaxReporters::get()))]
		pub fn settle_due(origin: OriginFor<T>, agreement: AgreementId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle_due(agreement)
		}

		/// Pays a settled period whose dispute window has closed, as settled: what
		/// `on_initialize` does by itself, for anyone to push through.
		///
		/// Any signed origin.
		///
		/// ## Errors
		/// - `UnknownAgreement`, `UnknownSettlement`.
		/// - `NotDue`: the window has not closed, or the settlement is disputed or paid.
		/// - The balances pallet's error if the funds cannot move; nothing changes then.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::pay())]
		pub fn pay_due(
			origin: OriginFor<T>,
			agreement: AgreementId,
			period: u64,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let (details, settlement) = Self::due_payment(agreement, period)?;
			Self::pay_as_settled(agreement, details, period, &settlement)?;
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
			Self::do_withdraw_cancellation(who, agreement)
		}
	}
}

/// How this pallet reports a refusal of [`Permissions::acting_for`].
impl<T: Config> From<Refusal> for Error<T> {
	fn from(refusal: Refusal) -> Self {
		match refusal {
			Refusal::NoOrganization => Error::<T>::NoOrganization,
			Refusal::NotPermitted => Error::<T>::NotPermitted,
		}
	}
}
