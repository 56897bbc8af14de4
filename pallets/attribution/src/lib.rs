//! # Attribution
//!
//! Who contributed what to a shared AI model, what it was worth, and who gets paid.
//!
//! Contributions are artifacts (datasets, checkpoints, code, run configurations, evaluations),
//! registered by their content digest with their lineage and license terms. The chain refuses
//! an artifact its ancestors' terms forbid, and a lineage whose royalties would exceed the whole.
//! Evaluator organizations score a model's contributors in a commit-then-reveal round; the
//! median over evaluators is final. Revenue (a licensee's fee, a sponsor's milestone reward,
//! released by a record of the records pallet) enters the model's pool and is split exactly:
//! upstream royalties first, then the contributors by their scores.
//!
//! ## Terminology
//!
//! Each word means one thing in this pallet's docs and code.
//!
//! - **Artifact** ([`Artifact`], by [`ArtifactId`]): one registered contribution, identified by
//!   its manifest **digest**, with its **parents** (what it was made from) and its license.
//! - **Model**: an artifact of kind [`ArtifactKind::Checkpoint`]. Only models are scored,
//!   licensed to licensees and sponsored.
//! - **Lineage**: an artifact's ancestors (parents, their parents, ...) and descendants.
//!   **Pedigree**: the datasets a model descends from, with their terms and contributors.
//! - **License** ([`License`], by [`LicenseId`]): registered terms ([`LicenseTerms`]) artifacts
//!   come under: whether derivatives, training and commercial use are allowed, and the
//!   **royalty** the artifact's contributor takes from every descendant model's revenue.
//! - **Inheritance** ([`Inheritance`]): what an artifact inherits from its lineage, computed
//!   when it is registered: the **restrictions** of its ancestors and their royalties. Its
//!   **contributors** (the accounts that registered it or an ancestor) are kept beside it.
//! - **Scoring round** ([`Round`]): evaluators **commit** to a score vector (a hash), then
//!   **reveal** it; **finalizing** keeps the median per contributor, as **points** out of
//!   [`POINTS`].
//! - **Evaluator**: an organization that scores, through an account with the `Evaluator` role.
//! - **Pool** ([`Pool`]): a scored model's royalty pool: what was paid in and how it was split.
//!   **Claim**: a party's withdrawal of what the pool owes it.
//! - **License fee**: what a **licensee** pays for a license to a model, offered by the
//!   model's organization. **Milestone** ([`Milestone`]): a **sponsor**'s reward, escrowed
//!   until a record of the model's evaluation metric, by the organization the sponsor names,
//!   crosses a threshold.
//!
//! ## Where is what
//!
//! - `lib.rs`: configuration, storage, events, errors, and the calls with their docs. Each call
//!   checks its origin and hands over to a `do_*` function in its feature's file.
//! - `lineage.rs`: licenses and artifacts: registering them, what a new artifact inherits and
//!   what its ancestors forbid ([`inherit`], pure), and the lineage queries.
//! - `scoring.rs`: scoring rounds: commit, reveal, finalize; the median and the points
//!   ([`lower_median`], [`to_points`], [`distance`], pure).
//! - `royalties.rs`: pools: how a payment is split ([`shares`], pure), license fees,
//!   milestones (and the [`OnRecorded`] hook that releases them), claims.
//! - `try_state.rs`: the invariants; `types.rs`: every stored or encoded type; `weights.rs`,
//!   `benchmarking.rs`, `migrations.rs`, `runtime_api.rs`.
//!
//! Who may do what is asked of [`Config::Permissions`]: registering artifacts and licenses
//! needs `RegisterArtifact` (the `ModelContributor` role), scoring `Evaluate` (the `Evaluator`
//! role), opening a round, offering a license, buying one and sponsoring a milestone
//! `Administer` (an organization's admin, who spends or earns for it).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod lineage;
pub mod migrations;
#[cfg(test)]
mod mock;
mod royalties;
pub mod runtime_api;
mod scoring;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame::{
	prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		UnixTime,
	},
};
pub use lineage::{inherit, model_subject, parse_model_subject, LineageError, ParentView};
pub use pallet::*;
use perfledger_primitives::{Action, MetricId, OnRecorded, OrganizationId, Permissions, Refusal};
pub use royalties::{shares, Shares};
pub use scoring::{distance, lower_median, to_points};
pub use types::*;
pub use weights::WeightInfo;

/// A balance of the runtime's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Where an artifact's bytes live, as stored.
pub type UriOf<T> = BoundedVec<u8, <T as Config>::MaxUriLength>;
/// An artifact's parents.
pub type ParentsOf<T> = BoundedVec<ArtifactId, <T as Config>::MaxParents>;
/// An artifact as stored.
pub type ArtifactOf<T> =
	Artifact<<T as frame_system::Config>::AccountId, UriOf<T>, ParentsOf<T>, BlockNumberFor<T>>;
/// License terms as stored.
pub type LicenseOf<T> = License<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
/// The royalties an artifact's lineage takes.
pub type RoyaltiesOf<T> =
	BoundedVec<Royalty<<T as frame_system::Config>::AccountId>, <T as Config>::MaxRoyalties>;
/// The contributors of an artifact's lineage.
pub type ContributorsOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxContributors>;
/// What an artifact inherits, as stored.
pub type InheritanceOf<T> = Inheritance<RoyaltiesOf<T>>;
/// A score vector: contributor and score, sorted by contributor.
pub type ScoresOf<T> =
	BoundedVec<(<T as frame_system::Config>::AccountId, u32), <T as Config>::MaxContributors>;
/// A reveal as stored.
pub type RevealOf<T> = Reveal<ScoresOf<T>>;
/// A pool as stored.
pub type PoolOf<T> = Pool<BalanceOf<T>>;
/// A milestone as stored.
pub type MilestoneOf<T> =
	Milestone<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// The milestones waiting on one model's records of one metric.
pub type WatchersOf<T> = BoundedVec<MilestoneId, <T as Config>::MaxMilestonesPerModel>;

/// Sets up what the benchmarks need in the pallets this one asks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// An account acting for organization `index` (a new one for each index), holding every
	/// role this pallet asks for (admin, model contributor, evaluator) and funds.
	fn member(index: u32) -> AccountId;
}

#[frame::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The currency pools are paid in.
		type Currency: Mutate<Self::AccountId>;

		/// Who may do what (the permissions pallet).
		type Permissions: Permissions<Self::AccountId>;

		/// The chain's clock, for artifacts' registration time.
		type Clock: UnixTime;

		/// The pallet's account, which keeps every pool's and milestone's funds.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The most parents an artifact has.
		#[pallet::constant]
		type MaxParents: Get<u32>;

		/// The longest URI, in bytes.
		#[pallet::constant]
		type MaxUriLength: Get<u32>;

		/// The most upstream royalties a lineage carries.
		#[pallet::constant]
		type MaxRoyalties: Get<u32>;

		/// The most contributors a lineage has (and so a score vector names).
		#[pallet::constant]
		type MaxContributors: Get<u32>;

		/// The most evaluators in a scoring round.
		#[pallet::constant]
		type MaxEvaluators: Get<u32>;

		/// The fewest evaluators whose reveals make a round's scores final.
		#[pallet::constant]
		type MinEvaluators: Get<u32>;

		/// The shortest commit or reveal phase, in blocks.
		#[pallet::constant]
		type MinPhase: Get<BlockNumberFor<Self>>;

		/// The longest commit or reveal phase, in blocks.
		#[pallet::constant]
		type MaxPhase: Get<BlockNumberFor<Self>>;

		/// How far (total variation distance of the points) an evaluator's scores may be from
		/// the final ones before it is flagged.
		#[pallet::constant]
		type OutlierDistance: Get<Permill>;

		/// The most milestones waiting on one model and metric.
		#[pallet::constant]
		type MaxMilestonesPerModel: Get<u32>;

		/// The longest a milestone may wait, in blocks.
		#[pallet::constant]
		type MaxMilestoneBlocks: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls and hook.
		type WeightInfo: WeightInfo;

		/// Sets up members for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next license gets.
	#[pallet::storage]
	pub type NextLicenseId<T: Config> = StorageValue<_, LicenseId, ValueQuery>;

	/// Every license, by id.
	#[pallet::storage]
	pub type Licenses<T: Config> = StorageMap<_, Twox64Concat, LicenseId, LicenseOf<T>>;

	/// Licenses by the hash of their terms and document: terms are registered once.
	#[pallet::storage]
	pub type LicenseByContent<T: Config> = StorageMap<_, Identity, H256, LicenseId>;

	/// The id the next artifact gets.
	#[pallet::storage]
	pub type NextArtifactId<T: Config> = StorageValue<_, ArtifactId, ValueQuery>;

	/// Every artifact, by id.
	#[pallet::storage]
	pub type Artifacts<T: Config> = StorageMap<_, Twox64Concat, ArtifactId, ArtifactOf<T>>;

	/// Artifacts by digest: a digest is registered once.
	#[pallet::storage]
	pub type ArtifactByDigest<T: Config> = StorageMap<_, Identity, H256, ArtifactId>;

	/// What each artifact inherits from its lineage: restrictions and royalties.
	#[pallet::storage]
	pub type Lineage<T: Config> = StorageMap<_, Twox64Concat, ArtifactId, InheritanceOf<T>>;

	/// The contributors of each artifact's lineage (it and its ancestors), sorted: the accounts
	/// a score vector of it may name.
	#[pallet::storage]
	pub type Contributors<T: Config> = StorageMap<_, Twox64Concat, ArtifactId, ContributorsOf<T>>;

	/// Each artifact's children (parent, child): the lineage downwards.
	#[pallet::storage]
	pub type Children<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ArtifactId, Twox64Concat, ArtifactId, ()>;

	/// Open scoring rounds, by model.
	#[pallet::storage]
	pub type Rounds<T: Config> = StorageMap<_, Twox64Concat, ArtifactId, Round<BlockNumberFor<T>>>;

	/// Evaluators' commitments in open rounds, by model and evaluator organization.
	#[pallet::storage]
	pub type Commitments<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ArtifactId, Twox64Concat, OrganizationId, H256>;

	/// Evaluators' reveals in open rounds, by model and evaluator organization.
	#[pallet::storage]
	pub type Reveals<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ArtifactId, Twox64Concat, OrganizationId, RevealOf<T>>;

	/// Final scores, by model and contributor: points out of [`POINTS`] (none stored for 0).
	#[pallet::storage]
	pub type Scores<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ArtifactId, Blake2_128Concat, T::AccountId, u32>;

	/// Royalty pools, by model: one exists once the model's scores are final.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Twox64Concat, ArtifactId, PoolOf<T>>;

	/// What each contributor has claimed of its scored share of a pool.
	#[pallet::storage]
	pub type Claimed<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ArtifactId,
		Blake2_128Concat,
		T::AccountId,
		BalanceOf<T>,
		ValueQuery,
	>;

	/// What a pool owes beyond scored shares (royalties, remainders), by model and account.
	#[pallet::storage]
	pub type Owed<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ArtifactId,
		Blake2_128Concat,
		T::AccountId,
		BalanceOf<T>,
		ValueQuery,
	>;

	/// License fees offered, by model.
	#[pallet::storage]
	pub type LicenseFees<T: Config> = StorageMap<_, Twox64Concat, ArtifactId, BalanceOf<T>>;

	/// Licensees, by model: the block each bought its license in.
	#[pallet::storage]
	pub type Licensees<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ArtifactId,
		Blake2_128Concat,
		T::AccountId,
		BlockNumberFor<T>,
	>;

	/// The id the next milestone gets.
	#[pallet::storage]
	pub type NextMilestoneId<T: Config> = StorageValue<_, MilestoneId, ValueQuery>;

	/// Milestones waiting for their record, by id.
	#[pallet::storage]
	pub type Milestones<T: Config> = StorageMap<_, Twox64Concat, MilestoneId, MilestoneOf<T>>;

	/// The milestones waiting on records of a metric about a model.
	#[pallet::storage]
	pub type Watching<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		MetricId,
		Twox64Concat,
		ArtifactId,
		WatchersOf<T>,
		ValueQuery,
	>;

	/// The rewards escrowed by waiting milestones, in all.
	#[pallet::storage]
	pub type Escrowed<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::endow_account();
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// License terms were registered.
		LicenseRegistered {
			license: LicenseId,
			terms: LicenseTerms,
			document: H256,
			registrar: T::AccountId,
		},
		/// An artifact was registered.
		ArtifactRegistered {
			artifact: ArtifactId,
			kind: ArtifactKind,
			digest: H256,
			contributor: T::AccountId,
			organization: OrganizationId,
			license: LicenseId,
			parents: ParentsOf<T>,
		},
		/// A model's scoring round opened.
		ScoringOpened {
			model: ArtifactId,
			commit_until: BlockNumberFor<T>,
			reveal_until: BlockNumberFor<T>,
		},
		/// An evaluator committed to its scores (or replaced its commitment).
		ScoresCommitted { model: ArtifactId, evaluator: OrganizationId, commitment: H256 },
		/// An evaluator revealed the scores it had committed to.
		ScoresRevealed {
			model: ArtifactId,
			evaluator: OrganizationId,
			code: H256,
			data: H256,
			scores: ScoresOf<T>,
		},
		/// A model's scores are final (the median of `evaluators` reveals); its pool is open.
		ScoresFinalized { model: ArtifactId, evaluators: u32, scores: ScoresOf<T> },
		/// A round closed without final scores (too few reveals, or every median 0); the
		/// model's organization may open another.
		ScoringFailed { model: ArtifactId, revealed: u32 },
		/// An evaluator's scores were far from the final ones.
		EvaluatorFlagged { model: ArtifactId, evaluator: OrganizationId, distance: Permill },
		/// An evaluator committed but never revealed.
		EvaluatorSilent { model: ArtifactId, evaluator: OrganizationId },
		/// A model's organization offered licenses at `fee` (or withdrew the offer: `None`).
		LicenseOffered { model: ArtifactId, fee: Option<BalanceOf<T>> },
		/// A licensee bought a license to a model.
		LicenseBought { model: ArtifactId, licensee: T::AccountId, fee: BalanceOf<T> },
		/// A payment entered a model's pool and was split: `royalties` to upstream artifacts'
		/// contributors, `per_point` to each point of the scores, `remainder` to the model's
		/// contributor.
		RevenueSplit {
			model: ArtifactId,
			revenue: Revenue,
			amount: BalanceOf<T>,
			royalties: BalanceOf<T>,
			per_point: BalanceOf<T>,
			remainder: BalanceOf<T>,
		},
		/// A sponsor escrowed a reward for a model's milestone.
		MilestoneSponsored {
			milestone: MilestoneId,
			model: ArtifactId,
			sponsor: T::AccountId,
			metric: MetricId,
			reporter: OrganizationId,
			threshold: i128,
			crossing: Crossing,
			reward: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
		},
		/// A record crossed a milestone's threshold: its reward entered the model's pool.
		MilestoneReached { milestone: MilestoneId, record: u64 },
		/// A sponsor took back the reward of a milestone that expired unreached.
		MilestoneWithdrawn { milestone: MilestoneId, refunded: BalanceOf<T> },
		/// A pool paid what it owed an account.
		Claimed { model: ArtifactId, who: T::AccountId, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The signer acts for no organization.
		NoOrganization,
		/// The signer lacks the role this needs.
		NotPermitted,
		/// These terms, with this document, are registered already.
		DuplicateLicense,
		/// No license has this id.
		UnknownLicense,
		/// An artifact with this digest is registered already.
		DuplicateDigest,
		/// The URI is empty.
		EmptyUri,
		/// A parent is not a registered artifact.
		UnknownParent,
		/// A parent is listed twice.
		DuplicateParent,
		/// The parent at this position (in the call's `parents`) descends from, or is, an
		/// artifact whose terms forbid derivatives (the lineage runtime API names it).
		DerivativeForbidden { parent: u8 },
		/// The parent at this position descends from, or is, an artifact whose terms forbid
		/// training; a checkpoint may not descend from it.
		TrainingForbidden { parent: u8 },
		/// The royalties of the lineage would add up to more than the whole.
		RoyaltiesExceedWhole,
		/// The lineage carries more than `MaxRoyalties` royalties.
		TooManyRoyalties,
		/// The lineage has more than `MaxContributors` contributors.
		TooManyContributors,
		/// No artifact has this id.
		UnknownArtifact,
		/// The artifact is not a model (a checkpoint).
		NotAModel,
		/// The model's scores are final already.
		AlreadyScored,
		/// A scoring round of this model is open already.
		RoundOpen,
		/// A commit or reveal phase must be between `MinPhase` and `MaxPhase` blocks.
		BadPhase,
		/// No scoring round of this model is open.
		NoRound,
		/// The round's commit phase is over.
		CommitClosed,
		/// The round's reveal phase has not begun.
		RevealNotOpen,
		/// The round's reveal phase is over.
		RevealClosed,
		/// The round has `MaxEvaluators` evaluators already.
		TooManyEvaluators,
		/// The evaluator did not commit in this round.
		NoCommitment,
		/// The evaluator revealed already.
		AlreadyRevealed,
		/// The revealed scores, code, data and salt do not hash to the commitment.
		CommitmentMismatch,
		/// A score vector names no contributor.
		EmptyScores,
		/// A score vector must be sorted by contributor, each once.
		ScoresNotSorted,
		/// A score vector names an account that contributed nothing to the model's lineage.
		NotAContributor,
		/// The round's reveal phase is not over yet.
		RoundNotOver,
		/// The model has no final scores: its pool is not open.
		NoScores,
		/// The model's organization offers no license.
		NoLicenseOffer,
		/// The fee offered is not the one the licensee agreed to pay.
		FeeChanged,
		/// The account holds a license to this model already.
		AlreadyLicensed,
		/// The model, or an artifact it descends from, forbids commercial use.
		CommercialUseForbidden,
		/// An amount must be more than zero.
		ZeroAmount,
		/// The payer cannot pay it.
		InsufficientFunds,
		/// The expiry is not in the future.
		ExpiryInThePast,
		/// The expiry is more than `MaxMilestoneBlocks` away.
		ExpiryTooFar,
		/// `MaxMilestonesPerModel` milestones wait on this model and metric already.
		TooManyMilestones,
		/// No milestone has this id (or it was reached or withdrawn).
		UnknownMilestone,
		/// Only the milestone's sponsor may do this.
		NotSponsor,
		/// The milestone has not expired.
		MilestoneNotExpired,
		/// The pool owes this account nothing.
		NothingToClaim,
		/// An id or an amount overflows.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers license terms that artifacts may then come under.
		///
		/// Who: an account with the `ModelContributor` role. `document` is the digest of the
		/// legal text; the same terms with the same document are registered once.
		///
		/// ## Errors
		/// `NoOrganization`, `NotPermitted`, `DuplicateLicense`, `Overflow`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_license())]
		pub fn register_license(
			origin: OriginFor<T>,
			terms: LicenseTerms,
			document: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_license(who, terms, document)
		}

		/// Registers an artifact: a contribution identified by its manifest `digest`, stored at
		/// `uri`, made from `parents`, under `license`.
		///
		/// Who: an account with the `ModelContributor` role; it is the artifact's contributor,
		/// for its organization. Parents may be any organization's. Refused if a parent, or an
		/// artifact it descends from, forbids it: derivatives (for anything but an evaluation),
		/// training (for a checkpoint).
		///
		/// ## Errors
		/// `NoOrganization`, `NotPermitted`, `EmptyUri`, `UnknownLicense`, `DuplicateDigest`,
		/// `DuplicateParent`, `UnknownParent`, `DerivativeForbidden`, `TrainingForbidden`,
		/// `RoyaltiesExceedWhole`, `TooManyRoyalties`, `TooManyContributors`, `Overflow`.
		///
		/// ## Complexity
		/// `O(p * (r + c))`: `p` parents, `r` royalties and `c` contributors of the lineage.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::register_artifact(
			parents.len() as u32,
			T::MaxRoyalties::get(),
			T::MaxContributors::get(),
		))]
		pub fn register_artifact(
			origin: OriginFor<T>,
			kind: ArtifactKind,
			digest: H256,
			uri: UriOf<T>,
			parents: ParentsOf<T>,
			license: LicenseId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_artifact(who, kind, digest, uri, parents, license)
		}

		/// Opens a scoring round of `model`: evaluators commit for `commit_blocks` blocks, then
		/// reveal for `reveal_blocks`.
		///
		/// Who: an admin of the model's organization. A model is scored once: its scores are
		/// final when a round has enough reveals.
		///
		/// ## Errors
		/// `UnknownArtifact`, `NoOrganization`, `NotPermitted`, `NotAModel`, `AlreadyScored`,
		/// `RoundOpen`, `BadPhase`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::open_scoring())]
		pub fn open_scoring(
			origin: OriginFor<T>,
			model: ArtifactId,
			commit_blocks: BlockNumberFor<T>,
			reveal_blocks: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_scoring(who, model, commit_blocks, reveal_blocks)
		}

		/// Commits the signer's organization, as evaluator, to a score vector of `model`:
		/// `commitment` is `blake2_256` of the SCALE encoding of `(model, the model's digest,
		/// code, data, scores, salt)`, as revealed later ([`Pallet::commitment`]). A second
		/// commitment in the commit phase replaces the first.
		///
		/// Who: an account with the `Evaluator` role.
		///
		/// ## Errors
		/// `NoOrganization`, `NotPermitted`, `NoRound`, `CommitClosed`, `TooManyEvaluators`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::commit_scores())]
		pub fn commit_scores(
			origin: OriginFor<T>,
			model: ArtifactId,
			commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_scores(who, model, commitment)
		}

		/// Reveals the score vector the signer's organization committed to: `scores` (each
		/// contributor once, sorted, each a contributor of the model's lineage), bound to the
		/// digests of the evaluation `code` and `data`, with the commitment's `salt`.
		///
		/// Who: an account with the `Evaluator` role, of the organization that committed; in
		/// the reveal phase.
		///
		/// ## Errors
		/// `NoOrganization`, `NotPermitted`, `NoRound`, `RevealNotOpen`, `RevealClosed`,
		/// `NoCommitment`, `AlreadyRevealed`, `CommitmentMismatch`, `EmptyScores`,
		/// `ScoresNotSorted`, `NotAContributor`.
		///
		/// ## Complexity
		/// `O(s * log c)`: `s` scores, `c` contributors of the lineage.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::reveal_scores(scores.len() as u32))]
		pub fn reveal_scores(
			origin: OriginFor<T>,
			model: ArtifactId,
			code: H256,
			data: H256,
			scores: ScoresOf<T>,
			salt: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal_scores(who, model, code, data, scores, salt)
		}

		/// Closes `model`'s round once its reveal phase is over. With at least `MinEvaluators`
		/// reveals, each contributor's final score is the lower median of its scores (0 where an
		/// evaluator left it out), as points out of [`POINTS`], and the pool opens; evaluators
		/// far from the result are flagged, silent ones named. With fewer, the round closes
		/// without scores (`ScoringFailed`).
		///
		/// Who: any signed account.
		///
		/// ## Errors
		/// `NoRound`, `RoundNotOver`.
		///
		/// ## Complexity
		/// `O(c * e)`: `c` contributors, `e` evaluators.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::finalize_scores(
			T::MaxContributors::get(),
			T::MaxEvaluators::get(),
		))]
		pub fn finalize_scores(origin: OriginFor<T>, model: ArtifactId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_finalize_scores(model)
		}

		/// Offers licenses to `model` for `fee` (or, with `None`, withdraws the offer).
		///
		/// Who: an admin of the model's organization.
		///
		/// ## Errors
		/// `UnknownArtifact`, `NoOrganization`, `NotPermitted`, `NotAModel`, `ZeroAmount`,
		/// `CommercialUseForbidden`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::offer_license())]
		pub fn offer_license(
			origin: OriginFor<T>,
			model: ArtifactId,
			fee: Option<BalanceOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_offer_license(who, model, fee)
		}

		/// Buys a license to `model` at the offered `fee` (which the signer states, so that a
		/// changed offer fails instead of charging more). The fee enters the model's pool and is
		/// split at once.
		///
		/// Who: an admin of an organization; the signer pays and holds the license.
		///
		/// ## Errors
		/// `NoOrganization`, `NotPermitted`, `UnknownArtifact`, `NoScores`, `NoLicenseOffer`,
		/// `FeeChanged`, `AlreadyLicensed`, `CommercialUseForbidden`, `InsufficientFunds`,
		/// `Overflow`.
		///
		/// ## Complexity
		/// `O(r)`: `r` royalties of the lineage; independent of the number of contributors.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::buy_license(
			T::MaxRoyalties::get(),
			T::MaxContributors::get()
		))]
		pub fn buy_license(
			origin: OriginFor<T>,
			model: ArtifactId,
			fee: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_buy_license(who, model, fee)
		}

		/// Escrows `reward` for `model`: it enters the model's pool, with no further call, when
		/// `reporter` records a value of `metric` about the model (subject
		/// [`model_subject`]) on the `crossing` side of `threshold`, by `expires_at`.
		///
		/// Who: an admin of an organization; the signer pays.
		///
		/// ## Errors
		/// `NoOrganization`, `NotPermitted`, `UnknownArtifact`, `NotAModel`, `NoScores`,
		/// `ZeroAmount`, `ExpiryInThePast`, `ExpiryTooFar`, `TooManyMilestones`,
		/// `InsufficientFunds`, `Overflow`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::sponsor_milestone())]
		pub fn sponsor_milestone(
			origin: OriginFor<T>,
			model: ArtifactId,
			metric: MetricId,
			reporter: OrganizationId,
			threshold: i128,
			crossing: Crossing,
			reward: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_sponsor_milestone(
				who, model, metric, reporter, threshold, crossing, reward, expires_at,
			)
		}

		/// Takes back the reward of a milestone that expired unreached.
		///
		/// Who: the milestone's sponsor.
		///
		/// ## Errors
		/// `UnknownMilestone`, `NotSponsor`, `MilestoneNotExpired`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::withdraw_milestone())]
		pub fn withdraw_milestone(origin: OriginFor<T>, milestone: MilestoneId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_milestone(who, milestone)
		}

		/// Pays `beneficiary` everything `model`'s pool owes it: its scored share of what was
		/// paid in so far, less what it claimed before, and its royalties and remainders.
		///
		/// Who: any signed account (the money goes to `beneficiary` only, so that an account that
		/// can no longer transact is still paid).
		///
		/// ## Errors
		/// `NoScores`, `NothingToClaim`, `Overflow`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::claim())]
		pub fn claim(
			origin: OriginFor<T>,
			model: ArtifactId,
			beneficiary: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_claim(model, beneficiary)
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The pallet's account, which keeps every pool's and milestone's funds.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Gives the pallet's account the existential deposit, which belongs to nobody, so that
	/// claims never take it below it (the last unit of every pool stays claimable). Once, at
	/// genesis or in the migration that adds the pallet.
	pub(crate) fn endow_account() {
		let account = Self::account_id();
		let minimum = T::Currency::minimum_balance();
		if T::Currency::balance(&account) < minimum {
			let _ = T::Currency::mint_into(&account, minimum);
		}
	}

	/// The signer's organization, if it may take `action` there.
	fn acting_for(who: &T::AccountId, action: Action) -> Result<OrganizationId, DispatchError> {
		T::Permissions::acting_for(who, action, perfledger_primitives::Target::organization)
			.map_err(|refusal| Error::<T>::from(refusal).into())
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

impl<T: Config> OnRecorded for Pallet<T> {
	fn on_recorded(
		record: u64,
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		value: i128,
	) -> Weight {
		Self::release_milestones(record, organization, metric, subject, value)
	}

	fn weight() -> Weight {
		T::WeightInfo::on_recorded(T::MaxMilestonesPerModel::get(), T::MaxRoyalties::get())
	}
}
