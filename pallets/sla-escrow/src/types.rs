//! The terms, agreements and settlements of SLA escrow.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::{arithmetic::Permill, prelude::*};
use perfledger_primitives::{MetricId, OrganizationId};
use scale_info::TypeInfo;

/// An agreement.
pub type AgreementId = u64;

macro_rules! derive_stored {
	($($item:item)*) => {
		$(
			#[derive(
				Clone,
				PartialEq,
				Eq,
				Encode,
				Decode,
				DecodeWithMemTracking,
				MaxEncodedLen,
				TypeInfo,
				Debug,
			)]
			$item
		)*
	};
}

derive_stored! {
	/// Which figure of a period's records is compared with the target.
	#[derive(Copy)]
	pub enum Measure {
		/// The mean of the period's values (compared exactly: `sum` against `bound x count`).
		Mean,
		/// The smallest value ("never below").
		Min,
		/// The largest value ("never above").
		Max,
		/// The sum of the values.
		Sum,
		/// How many values were recorded.
		Count,
	}

	/// Which side of a bound is good.
	#[derive(Copy)]
	pub enum Comparison {
		/// The measure must be at least the bound.
		AtLeast,
		/// The measure must be at most the bound.
		AtMost,
	}

	/// A step below the target: the share of the period's amount paid when the measure meets
	/// `bound` but not the target.
	#[derive(Copy)]
	pub struct Tier {
		/// The bound, in the metric's smallest unit.
		pub bound: i128,
		/// The share of the period's amount paid.
		pub payout: Permill,
	}

	/// An extra payment for a period whose measure meets `bound`, beyond the target.
	#[derive(Copy)]
	pub struct Bonus<Balance> {
		/// The bound, in the metric's smallest unit.
		pub bound: i128,
		/// The extra amount.
		pub amount: Balance,
	}

	/// How a period with no qualifying records settles.
	#[derive(Copy)]
	pub enum MissingData {
		/// As a miss below every tier: the floor share is paid.
		CountAsMissed,
		/// The buyer gets the period's amount back.
		Refund,
		/// The provider is paid the period's amount (no bonus).
		PayInFull,
	}

	/// What both parties agree to.
	pub struct Terms<AccountId, Balance, Subject, Tiers, Reporters> {
		/// Who provides the service and is paid.
		pub provider: AccountId,
		/// The metric of the records pallet that measures the service.
		pub metric: MetricId,
		/// What the records are about (a lane, a site, a model version).
		pub subject: Subject,
		/// Which figure of a period is compared.
		pub measure: Measure,
		/// Which side of the target is good.
		pub comparison: Comparison,
		/// The target, in the metric's smallest unit: met, the period's amount is paid in full.
		pub target: i128,
		/// The steps below the target, best first: the first whose bound is met sets the share.
		pub tiers: Tiers,
		/// The share paid below every tier.
		pub floor: Permill,
		/// The extra payment for beating the target, if any.
		pub bonus: Option<Bonus<Balance>>,
		/// The first of the metric's reporting periods covered.
		pub first_period: u64,
		/// How many consecutive periods are covered.
		pub periods: u32,
		/// The amount per period.
		pub amount: Balance,
		/// The reporters (accounts) and devices whose records count.
		pub reporters: Reporters,
		/// How a period without qualifying records settles.
		pub missing_data: MissingData,
		/// Whether, without qualifying records, the provider's threshold proofs of the
		/// disclosure pallet (about its committed value for the metric, subject and period)
		/// stand in for the measure.
		pub proofs_stand_in: bool,
		/// How long after a period ends (ms) late records still count before it settles.
		pub grace_ms: u64,
		/// How long after a settlement (ms) either party may dispute it; the funds move when
		/// it closes.
		pub dispute_window_ms: u64,
	}

	/// Where an agreement stands.
	#[derive(Copy)]
	pub enum AgreementStatus {
		/// Offered by the buyer; nothing held until the provider accepts.
		Proposed,
		/// Accepted: funds held, periods settle as they close.
		Active,
		/// Cancelled by both parties: unsettled periods refunded.
		Cancelled,
		/// Every period settled.
		Completed,
	}

	/// An agreement and its escrow.
	pub struct Agreement<AccountId, Balance, Terms> {
		/// Who pays; the funds are held on its account.
		pub buyer: AccountId,
		/// The buyer's organization.
		pub buyer_organization: OrganizationId,
		/// The provider's organization.
		pub provider_organization: OrganizationId,
		/// The terms.
		pub terms: Terms,
		/// Where it stands.
		pub status: AgreementStatus,
		/// What is still held for it on the buyer's account.
		pub held: Balance,
		/// How many periods have settled.
		pub settled: u32,
		/// The party that asked to cancel, waiting for the other.
		pub cancellation_requested_by: Option<AccountId>,
	}

	/// What a settlement was based on.
	#[derive(Copy)]
	pub enum Basis {
		/// Qualifying records: how many, and the measure (for the mean, the sum divided by the
		/// count, truncated toward zero: -3.5 is -3).
		Records {
			/// How many values counted.
			count: u32,
			/// The measure.
			measured: i128,
		},
		/// The provider's threshold proofs, standing in for the measure.
		Proof,
		/// No qualifying records: the missing-data rule.
		Missing,
	}

	/// Where a period's settlement stands.
	pub enum SettlementStatus<AccountId> {
		/// Decided, held until `pay_at` (ms) for disputes.
		Open {
			/// When the dispute window closes and the funds move.
			pay_at: u64,
		},
		/// Disputed by a party: held until the council rules.
		Disputed {
			/// Who disputed it.
			by: AccountId,
		},
		/// Paid as settled.
		Paid,
		/// Paid as the council ruled.
		Resolved,
	}

	/// A period's settlement.
	pub struct Settlement<AccountId, Balance> {
		/// What it was based on.
		pub basis: Basis,
		/// The share of the period's amount the terms give the provider.
		pub payout: Permill,
		/// Whether the bonus was earned.
		pub bonus: bool,
		/// What the provider receives.
		pub provider_share: Balance,
		/// What the buyer gets back.
		pub buyer_share: Balance,
		/// Where it stands.
		pub status: SettlementStatus<AccountId>,
	}

	/// Work the pallet does by itself when its time comes.
	#[derive(Copy)]
	pub enum Job {
		/// Settle a period of the agreement: done only if that period is still the next one to
		/// settle and due (its end and grace have passed); dropped otherwise, so that a job
		/// left behind by a settlement pushed through by hand never settles a later period
		/// early.
		Settle(AgreementId, u64),
		/// Pay a settled period whose dispute window closed.
		Pay(AgreementId, u64),
	}
}
