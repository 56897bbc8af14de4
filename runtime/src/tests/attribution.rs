//! Attribution across the real pallets: roles granted through the permissions pallet, a model
//! scored by three evaluator organizations, a licensee's fee and a sponsor's milestone reward
//! (released by a real record of the records pallet) split exactly over three organizations'
//! contributors and an upstream dataset's owner.

use super::{account, ext_from_preset};
use crate::{Attribution, Balances, Permissions, Records, Runtime, RuntimeOrigin, MINUTES};
use frame_support::assert_ok;
use pallet_attribution::{ArtifactKind, Crossing, LicenseTerms, POINTS};
use pallet_records::{RecordInput, Value};
use perfledger_primitives::Role;
use sp_core::H256;
use sp_keyring::Sr25519Keyring::{
	self, Alice, AliceStash, Bob, BobStash, Charlie, CharlieStash, Dave, Eve, Ferdie,
};
use sp_runtime::Permill;

const UNIT: u128 = crate::UNIT;

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(who))
}

fn grant(admin: Sr25519Keyring, who: Sr25519Keyring, role: Role) {
	assert_ok!(Permissions::grant_role(
		signed(admin),
		account(who),
		role,
		Default::default(),
		None
	));
}

fn advance(blocks: u32) {
	let now = frame_system::Pallet::<Runtime>::block_number();
	frame_system::Pallet::<Runtime>::set_block_number(now + blocks);
}

fn register(who: Sr25519Keyring, kind: ArtifactKind, parents: Vec<u64>, license: u32) -> u64 {
	let id = pallet_attribution::NextArtifactId::<Runtime>::get();
	assert_ok!(Attribution::register_artifact(
		signed(who),
		kind,
		H256::from_low_u64_be(0xa000 + id),
		b"ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
			.to_vec()
			.try_into()
			.unwrap(),
		parents.try_into().unwrap(),
		license,
	));
	id
}

#[test]
fn a_license_fee_and_a_milestone_reward_split_exactly_over_three_organizations_and_a_dataset_owner()
{
	ext_from_preset("development").execute_with(|| {
		frame_system::Pallet::<Runtime>::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(1_800_000_000_000);
		// Contributors: Dave for Acme, Eve for Borealis, Ferdie for Coldline. Evaluators: each
		// founder's stash account (also its reporter).
		for (admin, contributor, evaluator) in
			[(Alice, Dave, AliceStash), (Bob, Eve, BobStash), (Charlie, Ferdie, CharlieStash)]
		{
			grant(admin, contributor, Role::ModelContributor);
			grant(admin, evaluator, Role::Evaluator);
		}
		// Coldline's dataset takes a 10% royalty from every model trained on it.
		let royalty = Permill::from_percent(10);
		let open = LicenseTerms {
			derivatives: true,
			training: true,
			commercial: true,
			royalty: Permill::zero(),
		};
		assert_ok!(Attribution::register_license(
			signed(Ferdie),
			LicenseTerms { royalty, ..open },
			H256::repeat_byte(1)
		));
		assert_ok!(Attribution::register_license(signed(Dave), open, H256::repeat_byte(2)));
		let dataset = register(Ferdie, ArtifactKind::Dataset, vec![], 0);
		let base = register(Dave, ArtifactKind::Checkpoint, vec![dataset], 1);
		let tuned = register(Eve, ArtifactKind::Checkpoint, vec![base], 1);

		// Three evaluators score Dave, Eve and Ferdie; Borealis's evaluator favours its own.
		assert_ok!(Attribution::open_scoring(signed(Bob), tuned, MINUTES, MINUTES));
		let digest = pallet_attribution::Artifacts::<Runtime>::get(tuned).unwrap().digest;
		let mut vectors = vec![
			(AliceStash, vec![(Dave, 50u32), (Eve, 30), (Ferdie, 20)]),
			(CharlieStash, vec![(Dave, 46), (Eve, 34), (Ferdie, 20)]),
			(BobStash, vec![(Dave, 10), (Eve, 85), (Ferdie, 5)]),
		];
		let scores = |v: &[(Sr25519Keyring, u32)]| {
			let mut s: Vec<_> = v.iter().map(|(k, n)| (account(*k), *n)).collect();
			s.sort();
			s
		};
		for (evaluator, vector) in &mut vectors {
			let s = scores(vector);
			let commitment =
				Attribution::commitment(tuned, digest, H256::zero(), H256::zero(), &s, [7; 32]);
			assert_ok!(Attribution::commit_scores(signed(*evaluator), tuned, commitment));
		}
		advance(MINUTES + 1);
		for (evaluator, vector) in &vectors {
			assert_ok!(Attribution::reveal_scores(
				signed(*evaluator),
				tuned,
				H256::zero(),
				H256::zero(),
				scores(vector).try_into().unwrap(),
				[7; 32]
			));
		}
		advance(MINUTES);
		assert_ok!(Attribution::finalize_scores(signed(Alice), tuned));
		// Lower medians: Dave 46, Eve 34, Ferdie 20 (of 100): 460,000, 340,000, 200,000 points.
		let points = |who| pallet_attribution::Scores::<Runtime>::get(tuned, account(who)).unwrap();
		assert_eq!((points(Dave), points(Eve), points(Ferdie)), (460_000, 340_000, 200_000));

		// Charlie licenses the fine-tune: 1,000 PLG and 7 units.
		let fee = 1_000 * UNIT + 7;
		assert_ok!(Attribution::offer_license(signed(Bob), tuned, Some(fee)));
		assert_ok!(Attribution::buy_license(signed(Charlie), tuned, fee));

		// Alice sponsors 500 PLG for 95.00% accuracy, as Coldline's reporter records it.
		let metric = pallet_records::NextMetricId::<Runtime>::get();
		let mut spec = pallet_records::Metrics::<Runtime>::get(0)
			.and_then(|head| pallet_records::MetricVersions::<Runtime>::get(0, head.version))
			.unwrap()
			.spec;
		spec.name = b"Model accuracy".to_vec().try_into().unwrap();
		spec.unit = b"%".to_vec().try_into().unwrap();
		assert_ok!(Records::define_metric(signed(Charlie), spec));
		let reward = 500 * UNIT;
		assert_ok!(Attribution::sponsor_milestone(
			signed(Alice),
			tuned,
			metric,
			2,
			9_500,
			Crossing::AtLeast,
			reward,
			frame_system::Pallet::<Runtime>::block_number() + 100
		));
		let record = |amount, document| RecordInput {
			metric,
			subject: pallet_attribution::model_subject(tuned).try_into().unwrap(),
			value: Value { amount, scale: 2 },
			time: 1_800_000_000_000,
			document: H256::repeat_byte(document),
			region: None,
			parents: Default::default(),
		};
		// 94.99% does not reach it; 95.20% does, with no further call.
		assert_ok!(Records::submit_record(signed(CharlieStash), record(9_499, 1)));
		assert!(pallet_attribution::Milestones::<Runtime>::contains_key(0));
		assert_ok!(Records::submit_record(signed(CharlieStash), record(9_520, 2)));
		assert!(!pallet_attribution::Milestones::<Runtime>::contains_key(0));

		// Each payment: Coldline's 10% royalty first (rounded down), then the rest by points,
		// per point rounded down, the remainder to the model's contributor (Eve).
		let split = |amount: u128| {
			let cut = amount / 10;
			let per_point = (amount - cut) / u128::from(POINTS);
			(cut, per_point, amount - cut - per_point * u128::from(POINTS))
		};
		let (fee_cut, fee_point, fee_rest) = split(fee);
		let (reward_cut, reward_point, reward_rest) = split(reward);
		let per_point = fee_point + reward_point;
		let expected = [
			(Dave, 460_000 * per_point),
			(Eve, 340_000 * per_point + fee_rest + reward_rest),
			(Ferdie, 200_000 * per_point + fee_cut + reward_cut),
		];
		let mut paid = 0;
		for (who, amount) in expected {
			assert_eq!(Attribution::claimable(tuned, &account(who)), amount);
			let before = Balances::free_balance(account(who));
			assert_ok!(Attribution::claim(signed(who), tuned, account(who)));
			assert_eq!(Balances::free_balance(account(who)) - before, amount);
			paid += amount;
		}
		assert_eq!(paid, fee + reward, "every unit paid in is paid out");
		assert_eq!(Balances::free_balance(Attribution::account_id()), crate::EXISTENTIAL_DEPOSIT);
		let pool = pallet_attribution::Pools::<Runtime>::get(tuned).unwrap();
		assert_eq!((pool.paid, pool.claimed), (fee + reward, fee + reward));
	});
}
