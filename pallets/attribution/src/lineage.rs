//! Licenses and artifacts: registering them, what a new artifact inherits from its parents and
//! what its ancestors forbid, and the lineage queries.
//!
//! Each artifact stores its [`Inheritance`], computed once from its parents' own: the nearest
//! ancestors whose terms forbid derivatives, training or commercial use; the royalties its
//! ancestors take; and, apart, the contributors of its lineage. So checking a new artifact against every
//! ancestor reads only its parents (`O(parents)`, whatever the depth), and a deposit into a
//! model's pool reads only the model's. [`inherit`] is that rule, pure.

use crate::*;
use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use perfledger_primitives::IdSequence;

/// Why a lineage refuses a new artifact ([`inherit`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LineageError {
	/// The parent at this position is, or descends from, an artifact that forbids derivatives.
	DerivativeForbidden(u8),
	/// The parent at this position is, or descends from, an artifact that forbids training.
	TrainingForbidden(u8),
	/// The royalties would add up to more than the whole.
	RoyaltiesExceedWhole,
}

/// One parent, as [`inherit`] reads it.
pub struct ParentView<'a, AccountId> {
	/// Its id.
	pub id: ArtifactId,
	/// Its contributor.
	pub contributor: &'a AccountId,
	/// Its license's terms.
	pub terms: LicenseTerms,
	/// What it inherited.
	pub inheritance: &'a Inheritance<Vec<Royalty<AccountId>>>,
	/// Its lineage's contributors.
	pub contributors: &'a [AccountId],
}

/// What an artifact of `kind` under `terms`, by `contributor`, inherits from `parents`: the
/// rule every registration applies.
///
/// - Refused if a parent's restrictions (its own terms' and its ancestors') forbid it:
///   derivatives for anything but an evaluation, training for a checkpoint. The error names the
///   parent by position; its inheritance names the ancestor.
/// - Restrictions: each is the lowest id among the parents' (the oldest ancestor that forbids
///   it), or the artifact itself (`id`) if its own terms forbid it.
/// - Royalties: every parent's own royalty (if any) and every royalty a parent inherited, each
///   upstream artifact once; refused if they add up to more than the whole.
/// - Contributors: the artifact's and every parent's contributors, sorted, each once.
pub fn inherit<AccountId: Ord + Clone>(
	id: ArtifactId,
	kind: ArtifactKind,
	terms: LicenseTerms,
	contributor: &AccountId,
	parents: &[ParentView<AccountId>],
) -> Result<(Inheritance<Vec<Royalty<AccountId>>>, Vec<AccountId>), LineageError> {
	let mut restrictions = Restrictions::default();
	let mut royalties = BTreeMap::<ArtifactId, Royalty<AccountId>>::new();
	let mut contributors = BTreeSet::from([contributor.clone()]);
	let lowest = |a: Option<ArtifactId>, b: Option<ArtifactId>| match (a, b) {
		(Some(a), Some(b)) => Some(a.min(b)),
		(a, b) => a.or(b),
	};
	for (position, parent) in parents.iter().enumerate() {
		let position = u8::try_from(position).unwrap_or(u8::MAX);
		let inherited = &parent.inheritance.restrictions;
		if kind != ArtifactKind::Evaluation && inherited.no_derivatives.is_some() {
			return Err(LineageError::DerivativeForbidden(position));
		}
		if kind == ArtifactKind::Checkpoint && inherited.no_training.is_some() {
			return Err(LineageError::TrainingForbidden(position));
		}
		restrictions.no_derivatives = lowest(restrictions.no_derivatives, inherited.no_derivatives);
		restrictions.no_training = lowest(restrictions.no_training, inherited.no_training);
		restrictions.no_commercial = lowest(restrictions.no_commercial, inherited.no_commercial);
		if !parent.terms.royalty.is_zero() {
			royalties.entry(parent.id).or_insert_with(|| Royalty {
				artifact: parent.id,
				beneficiary: parent.contributor.clone(),
				share: parent.terms.royalty,
			});
		}
		for royalty in &parent.inheritance.royalties {
			royalties.entry(royalty.artifact).or_insert_with(|| royalty.clone());
		}
		contributors.extend(parent.contributors.iter().cloned());
	}
	let own =
		|allowed: bool, inherited: Option<ArtifactId>| if allowed { inherited } else { Some(id) };
	restrictions.no_derivatives = own(terms.derivatives, restrictions.no_derivatives);
	restrictions.no_training = own(terms.training, restrictions.no_training);
	restrictions.no_commercial = own(terms.commercial, restrictions.no_commercial);
	let total: u64 = royalties.values().map(|r| u64::from(r.share.deconstruct())).sum();
	if total > u64::from(Permill::one().deconstruct()) {
		return Err(LineageError::RoyaltiesExceedWhole);
	}
	Ok((
		Inheritance { restrictions, royalties: royalties.into_values().collect() },
		contributors.into_iter().collect(),
	))
}

/// The subject of a model's records (its evaluation metric's): `artifact:` and its id in
/// decimal, such as `artifact:42`. Milestones wait on records with this subject.
pub fn model_subject(model: ArtifactId) -> Vec<u8> {
	let mut subject = b"artifact:".to_vec();
	let digits = alloc::format!("{model}");
	subject.extend_from_slice(digits.as_bytes());
	subject
}

/// The model a record's subject is about, if it is a [`model_subject`] (canonical: no sign, no
/// leading zero).
pub fn parse_model_subject(subject: &[u8]) -> Option<ArtifactId> {
	let digits = subject.strip_prefix(b"artifact:")?;
	if digits.is_empty() || digits.len() > 20 || (digits.len() > 1 && digits[0] == b'0') {
		return None;
	}
	digits.iter().try_fold(0u64, |id, d| {
		d.is_ascii_digit().then_some(())?;
		id.checked_mul(10)?.checked_add(u64::from(d - b'0'))
	})
}

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::register_license`].
	pub(crate) fn do_register_license(
		who: T::AccountId,
		terms: LicenseTerms,
		document: H256,
	) -> DispatchResult {
		let organization = Self::acting_for(&who, Action::RegisterArtifact)?;
		let content = H256(frame::hashing::blake2_256(&(terms, document).encode()));
		ensure!(!LicenseByContent::<T>::contains_key(content), Error::<T>::DuplicateLicense);
		let license = NextLicenseId::<T>::allocate().ok_or(Error::<T>::Overflow)?;
		LicenseByContent::<T>::insert(content, license);
		Licenses::<T>::insert(
			license,
			License {
				terms,
				document,
				registrar: who.clone(),
				organization,
				registered_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::LicenseRegistered { license, terms, document, registrar: who });
		Ok(())
	}

	/// The body of [`Pallet::register_artifact`]: permission, then the input, then what the
	/// lineage allows ([`inherit`]), then the writes.
	pub(crate) fn do_register_artifact(
		who: T::AccountId,
		kind: ArtifactKind,
		digest: H256,
		uri: UriOf<T>,
		parents: ParentsOf<T>,
		license: LicenseId,
	) -> DispatchResult {
		let organization = Self::acting_for(&who, Action::RegisterArtifact)?;
		ensure!(!uri.is_empty(), Error::<T>::EmptyUri);
		let terms = Licenses::<T>::get(license).ok_or(Error::<T>::UnknownLicense)?.terms;
		ensure!(!ArtifactByDigest::<T>::contains_key(digest), Error::<T>::DuplicateDigest);
		let mut seen = BTreeSet::new();
		ensure!(parents.iter().all(|p| seen.insert(*p)), Error::<T>::DuplicateParent);

		let mut read = Vec::with_capacity(parents.len());
		let mut depth = 0u32;
		for parent in &parents {
			let artifact = Artifacts::<T>::get(parent).ok_or(Error::<T>::UnknownParent)?;
			let inheritance = Lineage::<T>::get(parent).ok_or(Error::<T>::UnknownParent)?;
			let contributors = Contributors::<T>::get(parent).unwrap_or_default().into_inner();
			let parent_terms =
				Licenses::<T>::get(artifact.license).ok_or(Error::<T>::UnknownLicense)?.terms;
			depth = depth.max(artifact.depth.saturating_add(1));
			let inheritance = Inheritance {
				restrictions: inheritance.restrictions,
				royalties: inheritance.royalties.into_inner(),
			};
			read.push((*parent, artifact.contributor, parent_terms, inheritance, contributors));
		}
		let views: Vec<_> = read
			.iter()
			.map(|(id, contributor, terms, inheritance, contributors)| ParentView {
				id: *id,
				contributor,
				terms: *terms,
				inheritance,
				contributors,
			})
			.collect();
		let id = NextArtifactId::<T>::get();
		let (inheritance, contributors) =
			inherit(id, kind, terms, &who, &views).map_err(|e| match e {
				LineageError::DerivativeForbidden(parent) => {
					Error::<T>::DerivativeForbidden { parent }
				}
				LineageError::TrainingForbidden(parent) => Error::<T>::TrainingForbidden { parent },
				LineageError::RoyaltiesExceedWhole => Error::<T>::RoyaltiesExceedWhole,
			})?;
		let inheritance = Inheritance {
			restrictions: inheritance.restrictions,
			royalties: RoyaltiesOf::<T>::try_from(inheritance.royalties)
				.map_err(|_| Error::<T>::TooManyRoyalties)?,
		};
		let contributors = ContributorsOf::<T>::try_from(contributors)
			.map_err(|_| Error::<T>::TooManyContributors)?;

		let allocated = NextArtifactId::<T>::allocate().ok_or(Error::<T>::Overflow)?;
		debug_assert_eq!(allocated, id);
		ArtifactByDigest::<T>::insert(digest, id);
		for parent in &parents {
			Children::<T>::insert(parent, id, ());
		}
		Lineage::<T>::insert(id, inheritance);
		Contributors::<T>::insert(id, contributors);
		Artifacts::<T>::insert(
			id,
			Artifact {
				kind,
				digest,
				uri,
				contributor: who.clone(),
				organization,
				license,
				parents: parents.clone(),
				registered_at: frame_system::Pallet::<T>::block_number(),
				time: T::Clock::now().as_millis().try_into().unwrap_or(u64::MAX),
				depth,
			},
		);
		Self::deposit_event(Event::ArtifactRegistered {
			artifact: id,
			kind,
			digest,
			contributor: who,
			organization,
			license,
			parents,
		});
		Ok(())
	}

	/// The model `model`, if it is one: `UnknownArtifact`, `NotAModel` otherwise.
	pub(crate) fn model(model: ArtifactId) -> Result<ArtifactOf<T>, DispatchError> {
		let artifact = Artifacts::<T>::get(model).ok_or(Error::<T>::UnknownArtifact)?;
		ensure!(artifact.kind == ArtifactKind::Checkpoint, Error::<T>::NotAModel);
		Ok(artifact)
	}

	/// The artifacts within `depth` generations of `artifact`, upwards (`up`) or downwards,
	/// nearest first (breadth first, each once, ids ascending within a generation), from the
	/// `skip`-th, at most `limit`. For the runtime API.
	pub fn lineage(
		artifact: ArtifactId,
		up: bool,
		depth: u32,
		skip: u32,
		limit: u32,
	) -> Vec<(ArtifactId, u32)> {
		let mut seen = BTreeSet::from([artifact]);
		let mut queue = VecDeque::from([(artifact, 0u32)]);
		let mut found = Vec::new();
		let wanted = skip.saturating_add(limit) as usize;
		while let Some((next, generation)) = queue.pop_front() {
			if generation >= depth || found.len() >= wanted {
				continue;
			}
			let mut near: Vec<ArtifactId> = if up {
				Artifacts::<T>::get(next).map(|a| a.parents.into_inner()).unwrap_or_default()
			} else {
				Children::<T>::iter_key_prefix(next).collect()
			};
			near.sort_unstable();
			for id in near {
				if seen.insert(id) {
					found.push((id, generation + 1));
					queue.push_back((id, generation + 1));
				}
			}
		}
		found.into_iter().skip(skip as usize).take(limit as usize).collect()
	}

	/// Every dataset `model` descends from, nearest first: the model's data pedigree.
	pub fn pedigree(model: ArtifactId) -> Vec<ArtifactId> {
		Self::lineage(model, true, u32::MAX, 0, u32::MAX)
			.into_iter()
			.map(|(id, _)| id)
			.filter(|id| Artifacts::<T>::get(id).is_some_and(|a| a.kind == ArtifactKind::Dataset))
			.collect()
	}
}
