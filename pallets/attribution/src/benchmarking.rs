//! Benchmarks of attribution, each at its worst case: the lineage as full as its bounds allow
//! (`MaxRoyalties` royalties, `MaxContributors` contributors), every parent carrying it.

use super::*;
use frame::benchmarking::prelude::*;
use frame::traits::fungible::Mutate as _;

/// Licenses the benchmarks use: open (no royalty) and a 1% royalty.
fn licenses<T: Config>() -> Result<(LicenseId, LicenseId), BenchmarkError> {
	let who = T::BenchmarkHelper::member(0);
	let open = LicenseTerms {
		derivatives: true,
		training: true,
		commercial: true,
		royalty: Permill::zero(),
	};
	let royal = LicenseTerms { royalty: Permill::from_percent(1), ..open };
	let first = NextLicenseId::<T>::get();
	Pallet::<T>::do_register_license(who.clone(), open, H256::repeat_byte(1))?;
	Pallet::<T>::do_register_license(who, royal, H256::repeat_byte(2))?;
	Ok((first, first + 1))
}

/// Registers an artifact; returns its id.
fn add<T: Config>(
	who: &T::AccountId,
	kind: ArtifactKind,
	parents: Vec<ArtifactId>,
	license: LicenseId,
) -> Result<ArtifactId, BenchmarkError> {
	let id = NextArtifactId::<T>::get();
	let uri: UriOf<T> = alloc::vec![b'x'; T::MaxUriLength::get() as usize].try_into().unwrap();
	let parents: ParentsOf<T> = parents.try_into().map_err(|_| BenchmarkError::Stop("parents"))?;
	let mut digest = [0xbe; 32];
	digest[24..].copy_from_slice(&id.to_be_bytes());
	Pallet::<T>::do_register_artifact(who.clone(), kind, H256(digest), uri, parents, license)?;
	Ok(id)
}

/// An artifact whose lineage carries `r` royalties and `c` contributors (`member(0)` to
/// `member(c - 1)`), built as a chain so that no artifact has more than two parents. The chain
/// has as many artifacts whatever `r` and `c` (`MaxRoyalties` or `MaxContributors` leaves,
/// whichever is more), so that a component measures the lineage, not a larger state.
fn hub<T: Config>(r: u32, c: u32) -> Result<ArtifactId, BenchmarkError> {
	let (open, royal) = licenses::<T>()?;
	let first = T::BenchmarkHelper::member(0);
	let mut hub = add::<T>(&first, ArtifactKind::Code, Vec::new(), open)?;
	for i in 0..T::MaxRoyalties::get().max(T::MaxContributors::get()) {
		let who = T::BenchmarkHelper::member(i % c.max(1));
		let leaf =
			add::<T>(&who, ArtifactKind::Dataset, Vec::new(), if i < r { royal } else { open })?;
		hub = add::<T>(&first, ArtifactKind::Code, alloc::vec![hub, leaf], open)?;
	}
	Ok(hub)
}

/// A model descending from a [`hub`] with `r` royalties and `c` contributors, its scores final
/// (`POINTS` spread over the contributors) and its pool open.
fn scored_model<T: Config>(r: u32, c: u32) -> Result<ArtifactId, BenchmarkError> {
	let hub = hub::<T>(r, c)?;
	let model =
		add::<T>(&T::BenchmarkHelper::member(0), ArtifactKind::Checkpoint, alloc::vec![hub], 0)?;
	let contributors = Contributors::<T>::get(model).unwrap();
	let points = to_points(&alloc::vec![1; contributors.len()]).unwrap();
	for (who, points) in contributors.iter().zip(points) {
		Scores::<T>::insert(model, who, points);
	}
	Pools::<T>::insert(model, Pool::default());
	Ok(model)
}

fn fund<T: Config>(who: &T::AccountId) -> BalanceOf<T> {
	let amount = T::Currency::minimum_balance().saturating_mul(1_000_000u32.into());
	let _ = T::Currency::mint_into(who, amount);
	amount / 10u32.into()
}

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_license() -> Result<(), BenchmarkError> {
		let who = T::BenchmarkHelper::member(0);
		let terms = LicenseTerms {
			derivatives: true,
			training: false,
			commercial: true,
			royalty: Permill::from_percent(3),
		};
		#[extrinsic_call]
		_(RawOrigin::Signed(who), terms, H256::repeat_byte(9));
		assert!(Licenses::<T>::contains_key(NextLicenseId::<T>::get() - 1));
		Ok(())
	}

	/// `p` parents, each carrying `r` royalties and `c` contributors.
	#[benchmark]
	fn register_artifact(
		p: Linear<0, { T::MaxParents::get() }>,
		r: Linear<0, { T::MaxRoyalties::get() }>,
		c: Linear<1, { T::MaxContributors::get() }>,
	) -> Result<(), BenchmarkError> {
		let hub = hub::<T>(r, c)?;
		let who = T::BenchmarkHelper::member(0);
		let parents: Vec<ArtifactId> = (0..p)
			.map(|_| add::<T>(&who, ArtifactKind::Code, alloc::vec![hub], 0))
			.collect::<Result<_, _>>()?;
		let uri: UriOf<T> = alloc::vec![b'u'; T::MaxUriLength::get() as usize].try_into().unwrap();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(who),
			ArtifactKind::Checkpoint,
			H256::repeat_byte(0xaa),
			uri,
			parents.try_into().unwrap(),
			0,
		);
		assert!(ArtifactByDigest::<T>::contains_key(H256::repeat_byte(0xaa)));
		Ok(())
	}

	#[benchmark]
	fn open_scoring() -> Result<(), BenchmarkError> {
		let model = add::<T>(
			&T::BenchmarkHelper::member(0),
			ArtifactKind::Checkpoint,
			Vec::new(),
			licenses::<T>()?.0,
		)?;
		#[extrinsic_call]
		_(
			RawOrigin::Signed(T::BenchmarkHelper::member(0)),
			model,
			T::MinPhase::get(),
			T::MinPhase::get(),
		);
		assert!(Rounds::<T>::contains_key(model));
		Ok(())
	}

	#[benchmark]
	fn commit_scores() -> Result<(), BenchmarkError> {
		let owner = T::BenchmarkHelper::member(0);
		let model = add::<T>(&owner, ArtifactKind::Checkpoint, Vec::new(), licenses::<T>()?.0)?;
		Pallet::<T>::do_open_scoring(owner, model, T::MinPhase::get(), T::MinPhase::get())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(T::BenchmarkHelper::member(1)), model, H256::repeat_byte(7));
		assert_eq!(Rounds::<T>::get(model).unwrap().committed, 1);
		Ok(())
	}

	/// `s` scores, the lineage at `MaxContributors`.
	#[benchmark]
	fn reveal_scores(s: Linear<1, { T::MaxContributors::get() }>) -> Result<(), BenchmarkError> {
		let owner = T::BenchmarkHelper::member(0);
		let hub = hub::<T>(0, T::MaxContributors::get())?;
		let model = add::<T>(&owner, ArtifactKind::Checkpoint, alloc::vec![hub], 0)?;
		Pallet::<T>::do_open_scoring(owner, model, T::MinPhase::get(), T::MinPhase::get())?;
		let contributors = Contributors::<T>::get(model).unwrap();
		let scores: ScoresOf<T> = contributors
			.iter()
			.take(s as usize)
			.map(|who| (who.clone(), 7))
			.collect::<Vec<_>>()
			.try_into()
			.unwrap();
		let evaluator = T::BenchmarkHelper::member(1);
		let digest = Artifacts::<T>::get(model).unwrap().digest;
		let commitment =
			Pallet::<T>::commitment(model, digest, H256::zero(), H256::zero(), &scores, [1; 32]);
		Pallet::<T>::do_commit_scores(evaluator.clone(), model, commitment)?;
		frame_system::Pallet::<T>::set_block_number(now::<T>() + T::MinPhase::get() + 1u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(evaluator), model, H256::zero(), H256::zero(), scores, [1; 32]);
		assert_eq!(Rounds::<T>::get(model).unwrap().revealed, 1);
		Ok(())
	}

	/// `c` contributors, `e` evaluators, each scoring every contributor.
	#[benchmark]
	fn finalize_scores(
		c: Linear<1, { T::MaxContributors::get() }>,
		e: Linear<1, { T::MaxEvaluators::get() }>,
	) -> Result<(), BenchmarkError> {
		let owner = T::BenchmarkHelper::member(0);
		let hub = hub::<T>(0, c)?;
		let model = add::<T>(&owner, ArtifactKind::Checkpoint, alloc::vec![hub], 0)?;
		Pallet::<T>::do_open_scoring(owner, model, T::MinPhase::get(), T::MinPhase::get())?;
		let contributors = Contributors::<T>::get(model).unwrap();
		let digest = Artifacts::<T>::get(model).unwrap().digest;
		let mut reveals = Vec::new();
		for i in 0..e {
			let scores: ScoresOf<T> = contributors
				.iter()
				.enumerate()
				.map(|(k, who)| (who.clone(), (k as u32 + i) % 5 + 1))
				.collect::<Vec<_>>()
				.try_into()
				.unwrap();
			let evaluator = T::BenchmarkHelper::member(100 + i);
			let commitment = Pallet::<T>::commitment(
				model,
				digest,
				H256::zero(),
				H256::zero(),
				&scores,
				[1; 32],
			);
			Pallet::<T>::do_commit_scores(evaluator.clone(), model, commitment)?;
			reveals.push((evaluator, scores));
		}
		frame_system::Pallet::<T>::set_block_number(now::<T>() + T::MinPhase::get() + 1u32.into());
		for (evaluator, scores) in reveals {
			Pallet::<T>::do_reveal_scores(
				evaluator,
				model,
				H256::zero(),
				H256::zero(),
				scores,
				[1; 32],
			)?;
		}
		frame_system::Pallet::<T>::set_block_number(now::<T>() + T::MinPhase::get() + 1u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(T::BenchmarkHelper::member(0)), model);
		assert!(!Rounds::<T>::contains_key(model));
		Ok(())
	}

	#[benchmark]
	fn offer_license() -> Result<(), BenchmarkError> {
		let owner = T::BenchmarkHelper::member(0);
		let hub = hub::<T>(T::MaxRoyalties::get(), 1)?;
		let model = add::<T>(&owner, ArtifactKind::Checkpoint, alloc::vec![hub], 0)?;
		let fee = fund::<T>(&owner);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, Some(fee));
		assert_eq!(LicenseFees::<T>::get(model), Some(fee));
		Ok(())
	}

	/// `r` royalties; `c` contributors, on which the cost must not depend.
	#[benchmark]
	fn buy_license(
		r: Linear<0, { T::MaxRoyalties::get() }>,
		c: Linear<1, { T::MaxContributors::get() }>,
	) -> Result<(), BenchmarkError> {
		let model = scored_model::<T>(r, c)?;
		let buyer = T::BenchmarkHelper::member(200);
		let fee = fund::<T>(&buyer);
		LicenseFees::<T>::insert(model, fee);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), model, fee);
		assert!(Licensees::<T>::contains_key(model, &buyer));
		assert_eq!(Pools::<T>::get(model).unwrap().paid, fee);
		Ok(())
	}

	#[benchmark]
	fn sponsor_milestone() -> Result<(), BenchmarkError> {
		let model = scored_model::<T>(0, 1)?;
		let sponsor = T::BenchmarkHelper::member(200);
		let reward = fund::<T>(&sponsor);
		let expires_at = now::<T>() + T::MaxMilestoneBlocks::get();
		for _ in 1..T::MaxMilestonesPerModel::get() {
			Pallet::<T>::do_sponsor_milestone(
				sponsor.clone(),
				model,
				1,
				0,
				1,
				Crossing::AtLeast,
				reward / 100u32.into(),
				expires_at,
			)?;
		}
		#[extrinsic_call]
		_(
			RawOrigin::Signed(sponsor),
			model,
			1,
			0,
			1,
			Crossing::AtLeast,
			reward / 100u32.into(),
			expires_at,
		);
		assert!(Watching::<T>::get(1, model).is_full());
		Ok(())
	}

	#[benchmark]
	fn withdraw_milestone() -> Result<(), BenchmarkError> {
		let model = scored_model::<T>(0, 1)?;
		let sponsor = T::BenchmarkHelper::member(200);
		let reward = fund::<T>(&sponsor);
		let expires_at = now::<T>() + 1u32.into();
		for _ in 0..T::MaxMilestonesPerModel::get() {
			Pallet::<T>::do_sponsor_milestone(
				sponsor.clone(),
				model,
				1,
				0,
				1,
				Crossing::AtLeast,
				reward / 100u32.into(),
				expires_at,
			)?;
		}
		frame_system::Pallet::<T>::set_block_number(expires_at + 1u32.into());
		let last = NextMilestoneId::<T>::get() - 1;
		#[extrinsic_call]
		_(RawOrigin::Signed(sponsor), last);
		assert!(!Milestones::<T>::contains_key(last));
		Ok(())
	}

	#[benchmark]
	fn claim() -> Result<(), BenchmarkError> {
		let model = scored_model::<T>(T::MaxRoyalties::get(), T::MaxContributors::get())?;
		let buyer = T::BenchmarkHelper::member(200);
		let fee = fund::<T>(&buyer);
		LicenseFees::<T>::insert(model, fee);
		Pallet::<T>::do_buy_license(buyer, model, fee)?;
		// The model's contributor: a scored share, a remainder, and a royalty (it registered a
		// royalty dataset).
		let who = T::BenchmarkHelper::member(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), model, who.clone());
		assert!(Pallet::<T>::claimable(model, &who).is_zero());
		Ok(())
	}

	/// A record that reaches `m` milestones of a model whose lineage carries `r` royalties.
	#[benchmark]
	fn on_recorded(
		m: Linear<1, { T::MaxMilestonesPerModel::get() }>,
		r: Linear<0, { T::MaxRoyalties::get() }>,
	) -> Result<(), BenchmarkError> {
		let model = scored_model::<T>(r, 1)?;
		let sponsor = T::BenchmarkHelper::member(200);
		let reward = fund::<T>(&sponsor);
		let expires_at = now::<T>() + T::MaxMilestoneBlocks::get();
		for _ in 0..m {
			Pallet::<T>::do_sponsor_milestone(
				sponsor.clone(),
				model,
				1,
				0,
				1,
				Crossing::AtLeast,
				reward / 100u32.into(),
				expires_at,
			)?;
		}
		let subject = model_subject(model);
		#[block]
		{
			<Pallet<T> as OnRecorded>::on_recorded(1, 0, 1, &subject, 1);
		}
		assert!(Watching::<T>::get(1, model).is_empty());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::build(), crate::mock::Test);
}
