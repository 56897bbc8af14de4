//! Tests of attribution, per feature: the pure rules first, then licenses and artifacts, the
//! lineage's refusals, scoring rounds, pools (license fees, milestones, claims).

use crate::{mock::*, *};
use frame::testing_prelude::*;

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Attribution(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn terms(derivatives: bool, training: bool, commercial: bool, royalty: u32) -> LicenseTerms {
	LicenseTerms { derivatives, training, commercial, royalty: Permill::from_percent(royalty) }
}

/// Registers `terms` by `who`; returns the license.
fn license(who: u64, terms: LicenseTerms) -> LicenseId {
	let id = NextLicenseId::<Test>::get();
	assert_ok!(Attribution::register_license(
		RuntimeOrigin::signed(who),
		terms,
		H256::repeat_byte(id as u8)
	));
	id
}

/// The permissive license: everything allowed, no royalty.
fn open(who: u64) -> LicenseId {
	license(who, terms(true, true, true, 0))
}

fn digest(n: u64) -> H256 {
	H256::from_low_u64_be(n + 1)
}

fn uri() -> UriOf<Test> {
	b"ipfs://bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
		.to_vec()
		.try_into()
		.unwrap()
}

fn register(
	who: u64,
	kind: ArtifactKind,
	parents: &[ArtifactId],
	license: LicenseId,
) -> DispatchResult {
	let next = NextArtifactId::<Test>::get();
	Attribution::register_artifact(
		RuntimeOrigin::signed(who),
		kind,
		digest(next),
		uri(),
		parents.to_vec().try_into().unwrap(),
		license,
	)
}

/// Registers an artifact; returns its id.
fn artifact(
	who: u64,
	kind: ArtifactKind,
	parents: &[ArtifactId],
	license: LicenseId,
) -> ArtifactId {
	let next = NextArtifactId::<Test>::get();
	assert_ok!(register(who, kind, parents, license));
	next
}

fn scores(entries: &[(u64, u32)]) -> ScoresOf<Test> {
	entries.to_vec().try_into().unwrap()
}

fn commit(evaluator: u64, model: ArtifactId, entries: &[(u64, u32)], salt: u8) {
	let digest = Artifacts::<Test>::get(model).unwrap().digest;
	let commitment = Attribution::commitment(
		model,
		digest,
		H256::repeat_byte(0xc0),
		H256::repeat_byte(0xda),
		entries,
		[salt; 32],
	);
	assert_ok!(Attribution::commit_scores(RuntimeOrigin::signed(evaluator), model, commitment));
}

fn reveal(evaluator: u64, model: ArtifactId, entries: &[(u64, u32)], salt: u8) -> DispatchResult {
	Attribution::reveal_scores(
		RuntimeOrigin::signed(evaluator),
		model,
		H256::repeat_byte(0xc0),
		H256::repeat_byte(0xda),
		scores(entries),
		[salt; 32],
	)
}

/// DataCo's dataset (10% royalty), Acme's model trained on it, Borealis's fine-tune of it; the
/// three scored by Borealis, Coldline and Evalia: medians 48, 32, 20 (Acme, Borealis, DataCo).
/// Returns (dataset, model, fine-tune).
fn scored_fine_tune() -> (ArtifactId, ArtifactId, ArtifactId) {
	let data_license = license(DATACO_ML, terms(true, true, true, 10));
	let dataset = artifact(DATACO_ML, ArtifactKind::Dataset, &[], data_license);
	let base = artifact(ACME_ML, ArtifactKind::Checkpoint, &[dataset], open(ACME_ML));
	let tuned = artifact(BOREALIS_ML, ArtifactKind::Checkpoint, &[base], 1);
	assert_ok!(Attribution::open_scoring(RuntimeOrigin::signed(BOREALIS_ADMIN), tuned, 5, 5));
	let honest = [(ACME_ML, 50), (BOREALIS_ML, 30), (DATACO_ML, 20)];
	let close = [(ACME_ML, 48), (BOREALIS_ML, 32), (DATACO_ML, 20)];
	let selfish = [(ACME_ML, 10), (BOREALIS_ML, 80), (DATACO_ML, 10)];
	commit(COLDLINE_EVAL, tuned, &honest, 1);
	commit(EVALIA_EVAL, tuned, &close, 2);
	commit(BOREALIS_EVAL, tuned, &selfish, 3);
	advance(6);
	assert_ok!(reveal(COLDLINE_EVAL, tuned, &honest, 1));
	assert_ok!(reveal(EVALIA_EVAL, tuned, &close, 2));
	assert_ok!(reveal(BOREALIS_EVAL, tuned, &selfish, 3));
	advance(5);
	assert_ok!(Attribution::finalize_scores(RuntimeOrigin::signed(STRANGER), tuned));
	(dataset, base, tuned)
}

mod rules {
	use super::*;

	#[test]
	fn the_lower_median_takes_the_lower_middle() {
		assert_eq!(lower_median(&mut []), 0);
		assert_eq!(lower_median(&mut [7]), 7);
		assert_eq!(lower_median(&mut [9, 1]), 1);
		assert_eq!(lower_median(&mut [50, 10, 48]), 48);
		assert_eq!(lower_median(&mut [4, 1, 3, 2]), 2);
	}

	#[test]
	fn points_add_up_exactly_by_largest_remainder() {
		assert_eq!(to_points(&[0, 0]), None);
		assert_eq!(to_points(&[1, 1, 1]), Some(vec![333_334, 333_333, 333_333]));
		assert_eq!(to_points(&[2, 1]), Some(vec![666_667, 333_333]));
		// 1/7 = 142857.14.., 6/7 = 857142.85..: the larger remainder gets the point left.
		assert_eq!(to_points(&[1, 6]), Some(vec![142_857, 857_143]));
		for weights in [vec![3, 5, 7, 11], vec![1, 1, 1, 1, 1, 1, 1], vec![u64::from(u32::MAX); 64]]
		{
			let points = to_points(&weights).unwrap();
			assert_eq!(points.iter().map(|p| u64::from(*p)).sum::<u64>(), u64::from(POINTS));
		}
	}

	#[test]
	fn distance_is_the_total_variation() {
		assert_eq!(distance(&[500_000, 500_000], &[500_000, 500_000]), Permill::zero());
		assert_eq!(distance(&[1_000_000, 0], &[0, 1_000_000]), Permill::one());
		assert_eq!(distance(&[600_000, 400_000], &[500_000, 500_000]), Permill::from_percent(10));
	}

	#[test]
	fn a_payment_splits_exactly() {
		let royalties = [Permill::from_percent(10), Permill::from_parts(333_333)];
		for amount in [0u128, 1, 999_999, 1_000_000, 10_000_000_007, u128::from(u64::MAX)] {
			let split = shares(amount, &royalties);
			let cuts: u128 = split.royalties.iter().sum();
			assert_eq!(cuts + split.per_point * u128::from(POINTS) + split.remainder, amount);
			assert!(split.remainder < u128::from(POINTS));
			assert_eq!(split.royalties[0], amount / 10);
		}
		let split = shares(10_000_000_007u128, &[Permill::from_percent(10)]);
		assert_eq!(
			split,
			Shares { royalties: vec![1_000_000_000], per_point: 9_000, remainder: 7 }
		);
	}

	#[test]
	fn model_subjects_round_trip_and_only_canonical_ones_parse() {
		assert_eq!(model_subject(42), b"artifact:42".to_vec());
		for id in [0, 7, 42, u64::MAX] {
			assert_eq!(parse_model_subject(&model_subject(id)), Some(id));
		}
		for bad in [
			&b"artifact:"[..],
			b"artifact:042",
			b"artifact:-1",
			b"artifact:4x",
			b"42",
			b"artifact:18446744073709551616",
		] {
			assert_eq!(parse_model_subject(bad), None, "{:?}", core::str::from_utf8(bad));
		}
	}

	#[test]
	fn inheritance_keeps_the_oldest_restriction_and_each_royalty_once() {
		let empty = Inheritance { restrictions: Restrictions::default(), royalties: vec![] };
		let no_commercial = Inheritance {
			restrictions: Restrictions { no_commercial: Some(3), ..Default::default() },
			royalties: vec![Royalty {
				artifact: 1,
				beneficiary: 10u64,
				share: Permill::from_percent(5),
			}],
		};
		let parents = [
			ParentView {
				id: 3,
				contributor: &30,
				terms: terms(true, true, false, 20),
				inheritance: &no_commercial,
				contributors: &[10, 30],
			},
			ParentView {
				id: 1,
				contributor: &10,
				terms: terms(true, true, true, 5),
				inheritance: &empty,
				contributors: &[10],
			},
		];
		let (got, contributors) =
			inherit(9, ArtifactKind::Checkpoint, terms(true, false, true, 0), &50u64, &parents)
				.unwrap();
		assert_eq!(
			got.restrictions,
			Restrictions { no_derivatives: None, no_training: Some(9), no_commercial: Some(3) }
		);
		assert_eq!(
			got.royalties,
			vec![
				Royalty { artifact: 1, beneficiary: 10, share: Permill::from_percent(5) },
				Royalty { artifact: 3, beneficiary: 30, share: Permill::from_percent(20) },
			]
		);
		assert_eq!(contributors, vec![10, 30, 50]);
	}
}

mod licenses_and_artifacts {
	use super::*;

	#[test]
	fn license_terms_are_registered_once_by_contributors() {
		ExtBuilder::build_and_execute(|| {
			let t = terms(true, false, true, 15);
			assert_noop!(
				Attribution::register_license(RuntimeOrigin::signed(STRANGER), t, H256::zero()),
				Error::<Test>::NoOrganization
			);
			assert_noop!(
				Attribution::register_license(RuntimeOrigin::signed(ACME_ADMIN), t, H256::zero()),
				Error::<Test>::NotPermitted
			);
			assert_ok!(Attribution::register_license(
				RuntimeOrigin::signed(ACME_ML),
				t,
				H256::zero()
			));
			assert_noop!(
				Attribution::register_license(RuntimeOrigin::signed(BOREALIS_ML), t, H256::zero()),
				Error::<Test>::DuplicateLicense
			);
			assert_eq!(Licenses::<Test>::get(0).unwrap().organization, ACME);
			assert_eq!(
				events(),
				vec![Event::LicenseRegistered {
					license: 0,
					terms: t,
					document: H256::zero(),
					registrar: ACME_ML
				}]
			);
		});
	}

	#[test]
	fn an_artifact_is_registered_with_its_lineage_and_every_refusal_changes_nothing() {
		ExtBuilder::build_and_execute(|| {
			let lic = open(DATACO_ML);
			let data = artifact(DATACO_ML, ArtifactKind::Dataset, &[], lic);
			let code = artifact(ACME_ML, ArtifactKind::Code, &[], lic);
			let model = artifact(ACME_ML, ArtifactKind::Checkpoint, &[data, code], lic);
			let stored = Artifacts::<Test>::get(model).unwrap();
			assert_eq!((stored.organization, stored.contributor, stored.depth), (ACME, ACME_ML, 1));
			assert_eq!(stored.time, Now::get());
			assert_eq!(ArtifactByDigest::<Test>::get(digest(model)), Some(model));
			assert!(
				Children::<Test>::contains_key(data, model)
					&& Children::<Test>::contains_key(code, model)
			);
			assert_eq!(
				Contributors::<Test>::get(model).unwrap().into_inner(),
				vec![ACME_ML, DATACO_ML]
			);

			let origin = RuntimeOrigin::signed(ACME_ML);
			let call = |digest: H256, uri: UriOf<Test>, parents: Vec<ArtifactId>, license| {
				Attribution::register_artifact(
					origin.clone(),
					ArtifactKind::Checkpoint,
					digest,
					uri,
					parents.try_into().unwrap(),
					license,
				)
			};
			let fresh = H256::repeat_byte(0xee);
			assert_noop!(call(fresh, Default::default(), vec![], lic), Error::<Test>::EmptyUri);
			assert_noop!(call(fresh, uri(), vec![], 99), Error::<Test>::UnknownLicense);
			assert_noop!(call(digest(data), uri(), vec![], lic), Error::<Test>::DuplicateDigest);
			assert_noop!(call(fresh, uri(), vec![data, data], lic), Error::<Test>::DuplicateParent);
			assert_noop!(call(fresh, uri(), vec![data, 77], lic), Error::<Test>::UnknownParent);
			assert_noop!(
				Attribution::register_artifact(
					RuntimeOrigin::signed(BOREALIS_EVAL),
					ArtifactKind::Dataset,
					fresh,
					uri(),
					Default::default(),
					lic
				),
				Error::<Test>::NotPermitted
			);
			assert_noop!(
				Attribution::register_artifact(
					RuntimeOrigin::signed(STRANGER),
					ArtifactKind::Dataset,
					fresh,
					uri(),
					Default::default(),
					lic
				),
				Error::<Test>::NoOrganization
			);
			// Lineage reads: nearest first, each once.
			let tuned = artifact(BOREALIS_ML, ArtifactKind::Checkpoint, &[model, data], lic);
			assert_eq!(
				Attribution::lineage(tuned, true, 10, 0, 10),
				vec![(data, 1), (model, 1), (code, 2)]
			);
			assert_eq!(Attribution::lineage(tuned, true, 1, 0, 10), vec![(data, 1), (model, 1)]);
			assert_eq!(Attribution::lineage(tuned, true, 10, 1, 1), vec![(model, 1)]);
			assert_eq!(Attribution::lineage(data, false, 10, 0, 10), vec![(model, 1), (tuned, 1)]);
			assert_eq!(Attribution::pedigree(tuned), vec![data]);
		});
	}

	#[test]
	fn what_an_ancestor_forbids_is_refused_however_far_up_and_the_error_names_the_parent() {
		ExtBuilder::build_and_execute(|| {
			let no_training = license(DATACO_ML, terms(true, false, true, 0));
			let no_derivatives = license(ACME_ML, terms(false, true, true, 0));
			let lic = open(ACME_ML);
			// DataCo's dataset forbids training; a dataset derived from it is allowed...
			let raw = artifact(DATACO_ML, ArtifactKind::Dataset, &[], no_training);
			let cleaned = artifact(BOREALIS_ML, ArtifactKind::Dataset, &[raw], lic);
			let code = artifact(ACME_ML, ArtifactKind::Code, &[], lic);
			// ...but no checkpoint may descend from either: the error names the parent (position
			// 1, `cleaned`), whose inheritance names the ancestor that forbids it.
			assert_noop!(
				register(ACME_ML, ArtifactKind::Checkpoint, &[code, cleaned], lic),
				Error::<Test>::TrainingForbidden { parent: 1 }
			);
			assert_eq!(Lineage::<Test>::get(cleaned).unwrap().restrictions.no_training, Some(raw));
			// A model that forbids derivatives may be evaluated, not fine-tuned.
			let model = artifact(ACME_ML, ArtifactKind::Checkpoint, &[code], no_derivatives);
			assert_noop!(
				register(BOREALIS_ML, ArtifactKind::Checkpoint, &[model], lic),
				Error::<Test>::DerivativeForbidden { parent: 0 }
			);
			let evaluation = artifact(COLDLINE_ML, ArtifactKind::Evaluation, &[model], lic);
			// And what descends from the evaluation inherits the prohibition.
			assert_noop!(
				register(COLDLINE_ML, ArtifactKind::Config, &[evaluation], lic),
				Error::<Test>::DerivativeForbidden { parent: 0 }
			);
		});
	}

	#[test]
	fn royalties_stack_through_the_lineage_each_once_and_never_beyond_the_whole() {
		ExtBuilder::build_and_execute(|| {
			let twenty = license(DATACO_ML, terms(true, true, true, 20));
			let thirty = license(BOREALIS_ML, terms(true, true, true, 30));
			let sixty = license(COLDLINE_ML, terms(true, true, true, 60));
			let d1 = artifact(DATACO_ML, ArtifactKind::Dataset, &[], twenty);
			let d2 = artifact(BOREALIS_ML, ArtifactKind::Dataset, &[d1], thirty);
			// d1 reaches the model twice (directly and through d2): it counts once.
			let model = artifact(ACME_ML, ArtifactKind::Checkpoint, &[d2, d1], open(ACME_ML));
			let stack: Vec<_> = Lineage::<Test>::get(model)
				.unwrap()
				.royalties
				.iter()
				.map(|r| (r.artifact, r.beneficiary, r.share))
				.collect();
			assert_eq!(
				stack,
				vec![
					(d1, DATACO_ML, Permill::from_percent(20)),
					(d2, BOREALIS_ML, Permill::from_percent(30))
				]
			);
			let d3 = artifact(COLDLINE_ML, ArtifactKind::Dataset, &[], sixty);
			// 20% + 30% + 60% > 100%.
			assert_noop!(
				register(ACME_ML, ArtifactKind::Checkpoint, &[model, d3], 1),
				Error::<Test>::RoyaltiesExceedWhole
			);
		});
	}

	#[test]
	fn a_lineage_is_bounded_in_royalties_and_contributors() {
		ExtBuilder::build_and_execute(|| {
			// MaxRoyalties is 4, MaxContributors 3.
			let one = license(DATACO_ML, terms(true, true, true, 1));
			let lic = open(ACME_ML);
			let royal: Vec<_> =
				(0..5).map(|_| artifact(DATACO_ML, ArtifactKind::Dataset, &[], one)).collect();
			let four = artifact(ACME_ML, ArtifactKind::Dataset, &royal[..4], lic);
			assert_noop!(
				register(ACME_ML, ArtifactKind::Checkpoint, &[four, royal[4]], lic),
				Error::<Test>::TooManyRoyalties
			);
			let by: Vec<_> = [ACME_ML, BOREALIS_ML, COLDLINE_ML, DATACO_ML]
				.into_iter()
				.map(|who| artifact(who, ArtifactKind::Code, &[], lic))
				.collect();
			let three = artifact(ACME_ML, ArtifactKind::Config, &by[..3], lic);
			assert_eq!(Contributors::<Test>::get(three).unwrap().len(), 3);
			assert_noop!(
				register(ACME_ML, ArtifactKind::Config, &by, lic),
				Error::<Test>::TooManyContributors
			);
		});
	}
}

mod scoring {
	use super::*;

	#[test]
	fn the_median_of_revealed_scores_is_final_and_a_selfish_evaluator_is_flagged() {
		ExtBuilder::build_and_execute(|| {
			let (_, _, tuned) = scored_fine_tune();
			assert_eq!(Scores::<Test>::get(tuned, ACME_ML), Some(480_000));
			assert_eq!(Scores::<Test>::get(tuned, BOREALIS_ML), Some(320_000));
			assert_eq!(Scores::<Test>::get(tuned, DATACO_ML), Some(200_000));
			assert!(Pools::<Test>::contains_key(tuned));
			assert!(!Rounds::<Test>::contains_key(tuned));
			assert_eq!(Commitments::<Test>::iter_prefix(tuned).count(), 0);
			assert_eq!(Reveals::<Test>::iter_prefix(tuned).count(), 0);
			let flagged: Vec<_> = events()
				.into_iter()
				.filter_map(|e| match e {
					Event::EvaluatorFlagged { evaluator, distance, .. } => {
						Some((evaluator, distance))
					}
					_ => None,
				})
				.collect();
			// Borealis scored its own contributor 80: (100k, 800k, 100k) against (480k, 320k,
			// 200k) is 48% apart.
			assert_eq!(flagged, vec![(BOREALIS, Permill::from_percent(48))]);
			assert_noop!(
				Attribution::open_scoring(RuntimeOrigin::signed(BOREALIS_ADMIN), tuned, 5, 5),
				Error::<Test>::AlreadyScored
			);
		});
	}

	#[test]
	fn a_round_refuses_every_out_of_turn_or_unbound_step() {
		ExtBuilder::build_and_execute(|| {
			let lic = open(ACME_ML);
			let data = artifact(DATACO_ML, ArtifactKind::Dataset, &[], lic);
			let model = artifact(ACME_ML, ArtifactKind::Checkpoint, &[data], lic);
			let code = artifact(ACME_ML, ArtifactKind::Code, &[], lic);
			let admin = RuntimeOrigin::signed(ACME_ADMIN);
			assert_noop!(
				Attribution::open_scoring(admin.clone(), code, 5, 5),
				Error::<Test>::NotAModel
			);
			// Another organization's artifact: permission is checked first.
			assert_noop!(
				Attribution::open_scoring(admin.clone(), data, 5, 5),
				Error::<Test>::NotPermitted
			);
			assert_noop!(
				Attribution::open_scoring(RuntimeOrigin::signed(BOREALIS_ADMIN), model, 5, 5),
				Error::<Test>::NotPermitted
			);
			assert_noop!(
				Attribution::open_scoring(admin.clone(), model, 1, 5),
				Error::<Test>::BadPhase
			);
			assert_noop!(
				Attribution::open_scoring(admin.clone(), model, 5, 101),
				Error::<Test>::BadPhase
			);
			assert_noop!(
				Attribution::commit_scores(
					RuntimeOrigin::signed(COLDLINE_EVAL),
					model,
					H256::zero()
				),
				Error::<Test>::NoRound
			);
			assert_ok!(Attribution::open_scoring(admin.clone(), model, 5, 5));
			assert_noop!(Attribution::open_scoring(admin, model, 5, 5), Error::<Test>::RoundOpen);
			assert_noop!(
				Attribution::commit_scores(RuntimeOrigin::signed(COLDLINE_ML), model, H256::zero()),
				Error::<Test>::NotPermitted
			);

			let good = [(ACME_ML, 60), (DATACO_ML, 40)];
			let unsorted = [(DATACO_ML, 40), (ACME_ML, 60)];
			let outsider = [(ACME_ML, 60), (COLDLINE_ML, 40)];
			commit(COLDLINE_EVAL, model, &good, 1);
			commit(EVALIA_EVAL, model, &unsorted, 2);
			commit(BOREALIS_EVAL, model, &outsider, 3);
			assert_noop!(reveal(COLDLINE_EVAL, model, &good, 1), Error::<Test>::RevealNotOpen);
			advance(6);
			assert_noop!(
				Attribution::commit_scores(
					RuntimeOrigin::signed(COLDLINE_EVAL),
					model,
					H256::zero()
				),
				Error::<Test>::CommitClosed
			);
			// Not what was committed: another salt, other scores.
			assert_noop!(reveal(COLDLINE_EVAL, model, &good, 9), Error::<Test>::CommitmentMismatch);
			assert_noop!(
				reveal(COLDLINE_EVAL, model, &[(ACME_ML, 61), (DATACO_ML, 40)], 1),
				Error::<Test>::CommitmentMismatch
			);
			assert_noop!(reveal(EVALIA_EVAL, model, &unsorted, 2), Error::<Test>::ScoresNotSorted);
			assert_noop!(
				reveal(BOREALIS_EVAL, model, &outsider, 3),
				Error::<Test>::NotAContributor
			);
			assert_ok!(reveal(COLDLINE_EVAL, model, &good, 1));
			assert_noop!(reveal(COLDLINE_EVAL, model, &good, 1), Error::<Test>::AlreadyRevealed);
			assert_noop!(
				Attribution::finalize_scores(RuntimeOrigin::signed(STRANGER), model),
				Error::<Test>::RoundNotOver
			);
			advance(5);
			assert_noop!(reveal(EVALIA_EVAL, model, &unsorted, 2), Error::<Test>::RevealClosed);
		});
	}

	#[test]
	fn too_few_reveals_close_the_round_without_scores_and_name_the_silent() {
		ExtBuilder::build_and_execute(|| {
			let lic = open(ACME_ML);
			let model = artifact(ACME_ML, ArtifactKind::Checkpoint, &[], lic);
			assert_ok!(Attribution::open_scoring(RuntimeOrigin::signed(ACME_ADMIN), model, 2, 2));
			commit(COLDLINE_EVAL, model, &[(ACME_ML, 1)], 1);
			commit(EVALIA_EVAL, model, &[(ACME_ML, 1)], 2);
			advance(3);
			assert_ok!(reveal(COLDLINE_EVAL, model, &[(ACME_ML, 1)], 1));
			advance(2);
			assert_ok!(Attribution::finalize_scores(RuntimeOrigin::signed(STRANGER), model));
			let tail: Vec<_> = events().into_iter().rev().take(2).collect();
			assert_eq!(
				tail,
				vec![
					Event::ScoringFailed { model, revealed: 1 },
					Event::EvaluatorSilent { model, evaluator: EVALIA },
				]
			);
			assert!(!Pools::<Test>::contains_key(model));
			assert_eq!(Reveals::<Test>::iter_prefix(model).count(), 0);
			// The model's organization may try again.
			assert_ok!(Attribution::open_scoring(RuntimeOrigin::signed(ACME_ADMIN), model, 2, 2));
		});
	}
}

mod pools {
	use super::*;

	/// The fee of the worked example: 10,000,000,007 units.
	const FEE: u64 = 10_000_000_007;

	#[test]
	fn a_license_fee_is_split_exactly_over_royalties_and_scores() {
		ExtBuilder::build_and_execute(|| {
			let (_, base, tuned) = scored_fine_tune();
			assert_noop!(
				Attribution::buy_license(RuntimeOrigin::signed(COLDLINE_ADMIN), tuned, FEE),
				Error::<Test>::NoLicenseOffer
			);
			assert_noop!(
				Attribution::offer_license(RuntimeOrigin::signed(ACME_ADMIN), tuned, Some(FEE)),
				Error::<Test>::NotPermitted
			);
			assert_noop!(
				Attribution::offer_license(RuntimeOrigin::signed(BOREALIS_ADMIN), tuned, Some(0)),
				Error::<Test>::ZeroAmount
			);
			assert_ok!(Attribution::offer_license(
				RuntimeOrigin::signed(BOREALIS_ADMIN),
				tuned,
				Some(FEE)
			));
			assert_noop!(
				Attribution::buy_license(RuntimeOrigin::signed(COLDLINE_ADMIN), tuned, FEE - 1),
				Error::<Test>::FeeChanged
			);
			assert_noop!(
				Attribution::buy_license(RuntimeOrigin::signed(COLDLINE_ADMIN), base, FEE),
				Error::<Test>::NoScores
			);
			let before = Balances::free_balance(COLDLINE_ADMIN);
			assert_ok!(Attribution::buy_license(RuntimeOrigin::signed(COLDLINE_ADMIN), tuned, FEE));
			assert_eq!(before - Balances::free_balance(COLDLINE_ADMIN), FEE);
			assert_noop!(
				Attribution::buy_license(RuntimeOrigin::signed(COLDLINE_ADMIN), tuned, FEE),
				Error::<Test>::AlreadyLicensed
			);
			// DataCo's 10% first: 1,000,000,000. The rest, 9,000,000,007: 9,000 a point, 7 to
			// Borealis's contributor (the model's).
			let expected = [
				(ACME_ML, 480_000 * 9_000),
				(BOREALIS_ML, 320_000 * 9_000 + 7),
				(DATACO_ML, 200_000 * 9_000 + 1_000_000_000),
			];
			let mut total = 0;
			for (who, amount) in expected {
				assert_eq!(Attribution::claimable(tuned, &who), amount);
				let before = Balances::free_balance(who);
				// Anyone may push a payment to its owner.
				assert_ok!(Attribution::claim(RuntimeOrigin::signed(STRANGER), tuned, who));
				assert_eq!(Balances::free_balance(who) - before, amount);
				assert_noop!(
					Attribution::claim(RuntimeOrigin::signed(who), tuned, who),
					Error::<Test>::NothingToClaim
				);
				total += amount;
			}
			assert_eq!(total, FEE);
			assert_eq!(Balances::free_balance(Attribution::account_id()), 10);
		});
	}

	#[test]
	fn claims_accumulate_over_payments_and_never_depend_on_other_pools() {
		ExtBuilder::build_and_execute(|| {
			let (_, _, tuned) = scored_fine_tune();
			assert_ok!(Attribution::offer_license(
				RuntimeOrigin::signed(BOREALIS_ADMIN),
				tuned,
				Some(FEE)
			));
			assert_ok!(Attribution::buy_license(RuntimeOrigin::signed(COLDLINE_ADMIN), tuned, FEE));
			assert_ok!(Attribution::claim(RuntimeOrigin::signed(ACME_ML), tuned, ACME_ML));
			assert_ok!(Attribution::buy_license(RuntimeOrigin::signed(EVALIA_ADMIN), tuned, FEE));
			// Acme's contributor claimed the first payment's share; it is owed the second's.
			assert_eq!(Attribution::claimable(tuned, &ACME_ML), 480_000 * 9_000);
			// DataCo's royalty and share of both, unclaimed.
			assert_eq!(
				Attribution::claimable(tuned, &DATACO_ML),
				2 * (200_000 * 9_000 + 1_000_000_000)
			);
			// A pool with no revenue owes nothing and blocks nothing.
			assert_noop!(
				Attribution::claim(RuntimeOrigin::signed(DATACO_ML), 0, DATACO_ML),
				Error::<Test>::NoScores
			);
		});
	}

	#[test]
	fn a_model_whose_lineage_forbids_commercial_use_is_not_licensed() {
		ExtBuilder::build_and_execute(|| {
			let non_commercial = license(DATACO_ML, terms(true, true, false, 0));
			let data = artifact(DATACO_ML, ArtifactKind::Dataset, &[], non_commercial);
			let model = artifact(ACME_ML, ArtifactKind::Checkpoint, &[data], open(ACME_ML));
			assert_noop!(
				Attribution::offer_license(RuntimeOrigin::signed(ACME_ADMIN), model, Some(FEE)),
				Error::<Test>::CommercialUseForbidden
			);
		});
	}

	#[test]
	fn a_milestone_is_released_by_the_first_record_that_crosses_it_from_its_reporter() {
		ExtBuilder::build_and_execute(|| {
			const ACCURACY: MetricId = 7;
			let (_, base, tuned) = scored_fine_tune();
			let sponsor = RuntimeOrigin::signed(EVALIA_ADMIN);
			let sponsor_call = |model, reward, expires_at| {
				Attribution::sponsor_milestone(
					sponsor.clone(),
					model,
					ACCURACY,
					COLDLINE,
					9_000,
					Crossing::AtLeast,
					reward,
					expires_at,
				)
			};
			assert_noop!(sponsor_call(base, FEE, 100), Error::<Test>::NoScores);
			assert_noop!(sponsor_call(tuned, 0, 100), Error::<Test>::ZeroAmount);
			assert_noop!(sponsor_call(tuned, FEE, 1), Error::<Test>::ExpiryInThePast);
			assert_noop!(sponsor_call(tuned, FEE, 5_000), Error::<Test>::ExpiryTooFar);
			assert_noop!(sponsor_call(tuned, ENDOWMENT, 100), Error::<Test>::InsufficientFunds);
			assert_ok!(sponsor_call(tuned, FEE, 100));
			assert_eq!(Escrowed::<Test>::get(), FEE);
			let subject = model_subject(tuned);
			let record = |id, organization, subject: &[u8], value| {
				<Attribution as OnRecorded>::on_recorded(id, organization, ACCURACY, subject, value)
			};
			// Another reporter, another subject, too low a value: nothing.
			record(1, BOREALIS, &subject, 9_500);
			record(2, COLDLINE, &model_subject(base), 9_500);
			record(3, COLDLINE, &subject, 8_999);
			assert_eq!(Pools::<Test>::get(tuned).unwrap().paid, 0);
			record(4, COLDLINE, &subject, 9_000);
			assert_eq!(Pools::<Test>::get(tuned).unwrap().paid, FEE);
			assert!(Milestones::<Test>::get(0).is_none());
			assert_eq!(Escrowed::<Test>::get(), 0);
			assert!(events().contains(&Event::MilestoneReached { milestone: 0, record: 4 }));
			assert_eq!(Attribution::claimable(tuned, &ACME_ML), 480_000 * 9_000);
		});
	}

	#[test]
	fn an_unreached_milestone_goes_back_to_its_sponsor_after_it_expires_only() {
		ExtBuilder::build_and_execute(|| {
			let (_, _, tuned) = scored_fine_tune();
			let sponsor = RuntimeOrigin::signed(EVALIA_ADMIN);
			let before = Balances::free_balance(EVALIA_ADMIN);
			for _ in 0..2 {
				assert_ok!(Attribution::sponsor_milestone(
					sponsor.clone(),
					tuned,
					7,
					COLDLINE,
					1,
					Crossing::AtMost,
					1_000,
					20
				));
			}
			assert_noop!(
				Attribution::sponsor_milestone(
					sponsor.clone(),
					tuned,
					7,
					COLDLINE,
					1,
					Crossing::AtMost,
					1_000,
					20
				),
				Error::<Test>::TooManyMilestones
			);
			assert_noop!(
				Attribution::withdraw_milestone(sponsor.clone(), 0),
				Error::<Test>::MilestoneNotExpired
			);
			advance(20);
			// Expired: a crossing record no longer releases it.
			<Attribution as OnRecorded>::on_recorded(1, COLDLINE, 7, &model_subject(tuned), 0);
			assert_eq!(Pools::<Test>::get(tuned).unwrap().paid, 0);
			assert_noop!(
				Attribution::withdraw_milestone(RuntimeOrigin::signed(COLDLINE_ADMIN), 0),
				Error::<Test>::NotSponsor
			);
			assert_ok!(Attribution::withdraw_milestone(sponsor.clone(), 0));
			assert_ok!(Attribution::withdraw_milestone(sponsor.clone(), 1));
			assert_noop!(
				Attribution::withdraw_milestone(sponsor, 1),
				Error::<Test>::UnknownMilestone
			);
			assert_eq!(Balances::free_balance(EVALIA_ADMIN), before);
			assert!(!Watching::<Test>::contains_key(7, tuned));
		});
	}
}
