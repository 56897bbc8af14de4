//! Benchmarks of selective disclosure (frame-benchmarking v2), each at its worst case: records
//! bound, the most requested fields, grants holding the most approvals, the longest published
//! field with the deepest proof. The range proofs are made here, in the runtime, with a seeded
//! ChaCha20 generator: the benchmarks measure verification, not proving.

use super::*;
use frame::benchmarking::prelude::*;
use perfledger_proofs::{
	fields::Document,
	threshold::{self, Opening},
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn rng() -> ChaCha20Rng {
	ChaCha20Rng::seed_from_u64(42)
}

/// A reporter of the benchmark organization, and the organization.
fn reporter<T: Config>() -> (T::AccountId, OrganizationId) {
	let who: T::AccountId = account("reporter", 0, 0);
	let organization = T::BenchmarkHelper::grant(&who, Role::Reporter);
	(who, organization)
}

/// An admin of the benchmark organization.
fn admin<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("admin", 0, 0);
	T::BenchmarkHelper::grant(&who, Role::OrganizationAdmin);
	who
}

/// An auditor of the whole consortium: the requester whose check costs the most (it acts for no
/// organization, so its grant's scope is read too).
fn requester<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("requester", 0, 0);
	T::BenchmarkHelper::auditor(&who);
	who
}

/// A document of `fields` fields of `length` bytes, salted deterministically.
fn document(fields: u32, length: u32) -> Document {
	let fields = (0..fields).map(|i| ([i as u8; 32], alloc::vec![b'v'; length as usize])).collect();
	Document::with_salts(H256::repeat_byte(1), fields).expect("at least one field")
}

/// The benchmark organization's commitment to `document`, bound to a record.
fn committed<T: Config>(document: &Document, sensitivity: Sensitivity) -> CommitmentId {
	let (who, _) = reporter::<T>();
	let (_, record) = T::BenchmarkHelper::metric_and_record();
	let id = NextCommitmentId::<T>::get();
	Pallet::<T>::commit(
		RawOrigin::Signed(who).into(),
		document.schema(),
		document.root(),
		document.len(),
		sensitivity,
		Some(record),
	)
	.expect("the reporter commits");
	id
}

/// A pending request (id 0) for the one field of an ordinary commitment.
fn pending_request<T: Config>() {
	let commitment = committed::<T>(&document(1, 1), Sensitivity::Ordinary);
	let requester = requester::<T>();
	Pallet::<T>::request_disclosure(
		RawOrigin::Signed(requester).into(),
		commitment,
		alloc::vec![0].try_into().expect("one field"),
	)
	.expect("an auditor requests");
}

/// A request for the most fields of a sensitive commitment, granted for as long as allowed and
/// holding all approvals but the last, until `MaxGrantDuration` from now. Returns the request.
fn awaiting_last_approval<T: Config>() -> RequestId {
	let fields = T::MaxRequestedFields::get().min(T::MaxFields::get());
	let commitment = committed::<T>(&document(fields, 1), Sensitivity::Sensitive);
	let requester = requester::<T>();
	let request = NextRequestId::<T>::get();
	let positions: FieldsOf<T> =
		(0..fields).collect::<alloc::vec::Vec<_>>().try_into().expect("bounded");
	Pallet::<T>::request_disclosure(RawOrigin::Signed(requester).into(), commitment, positions)
		.expect("an auditor requests");
	let expires_at = frame_system::Pallet::<T>::block_number() + T::MaxGrantDuration::get();
	Pallet::<T>::grant_disclosure(RawOrigin::Signed(admin::<T>()).into(), request, expires_at)
		.expect("the admin grants");
	let required = T::RequiredApprovals::get();
	assert!(required > 0, "the approval benchmarks need RequiredApprovals > 0");
	for i in 0..required - 1 {
		let approver = T::BenchmarkHelper::other_admin(i);
		Pallet::<T>::approve_disclosure(RawOrigin::Signed(approver).into(), request)
			.expect("another organization's admin approves");
	}
	request
}

/// Value `950` of the benchmark metric, committed for period 0 with its proof; returns the
/// opening, the statement and the committed value's id.
fn committed_value<T: Config>() -> (Opening, alloc::vec::Vec<u8>, ValueId) {
	let (who, organization) = reporter::<T>();
	let (metric, _) = T::BenchmarkHelper::metric_and_record();
	let subject: SubjectOf<T> =
		alloc::vec![b's'; T::MaxSubjectLength::get() as usize].try_into().expect("exact length");
	let statement = threshold::statement(organization, metric, &subject, 0);
	let opening = Opening::new(950, &mut rng());
	let proof = threshold::prove_value(&opening, &statement, &mut rng()).expect("a valid opening");
	let id = NextValueId::<T>::get();
	Pallet::<T>::commit_value(
		RawOrigin::Signed(who).into(),
		metric,
		subject,
		0,
		opening.commitment().expect("a valid opening"),
		proof.try_into().expect("672 bytes"),
		None,
	)
	.expect("the reporter commits a value");
	(opening, statement, id)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn commit() {
		let (who, organization) = reporter::<T>();
		let (_, record) = T::BenchmarkHelper::metric_and_record();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who),
			H256::repeat_byte(1),
			H256::repeat_byte(2),
			T::MaxFields::get(),
			Sensitivity::Sensitive,
			Some(record),
		);

		assert_eq!(Commitments::<T>::get(0).map(|c| c.organization), Some(organization));
	}

	#[benchmark]
	fn request_disclosure(f: Linear<1, { T::MaxRequestedFields::get() }>) {
		let commitment = committed::<T>(&document(T::MaxFields::get(), 1), Sensitivity::Ordinary);
		let requester = requester::<T>();
		let fields: FieldsOf<T> =
			(0..f).collect::<alloc::vec::Vec<_>>().try_into().expect("bounded");

		#[extrinsic_call]
		_(RawOrigin::Signed(requester.clone()), commitment, fields);

		assert_eq!(OpenRequests::<T>::get(&requester), 1);
	}

	#[benchmark]
	fn grant_disclosure() {
		pending_request::<T>();
		let expires_at = frame_system::Pallet::<T>::block_number() + T::MaxGrantDuration::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(admin::<T>()), 0, expires_at);

		assert!(Pallet::<T>::is_active(0));
	}

	#[benchmark]
	fn refuse_disclosure() {
		pending_request::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(admin::<T>()), 0);

		assert!(!Requests::<T>::contains_key(0));
	}

	#[benchmark]
	fn approve_disclosure() {
		let request = awaiting_last_approval::<T>();
		let approver = T::BenchmarkHelper::other_admin(T::RequiredApprovals::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(approver), request);

		assert!(Pallet::<T>::is_active(request));
	}

	#[benchmark]
	fn revoke_disclosure() {
		let request = awaiting_last_approval::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(admin::<T>()), request);

		assert!(!Requests::<T>::contains_key(request));
	}

	#[benchmark]
	fn withdraw_request() {
		let request = awaiting_last_approval::<T>();
		let requester = requester::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), request);

		assert!(!Requests::<T>::contains_key(request));
	}

	#[benchmark]
	fn purge_expired() {
		let request = awaiting_last_approval::<T>();
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number() + T::MaxGrantDuration::get(),
		);
		let anyone: T::AccountId = account("anyone", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), request);

		assert!(!Requests::<T>::contains_key(request));
	}

	/// `v` bytes of value, `p` sibling hashes: the field is the first of a document of `2^p`
	/// fields (as many as `MaxFields` allows).
	#[benchmark]
	fn publish_field(v: Linear<0, { T::MaxFieldLength::get() }>, p: Linear<0, 10>) {
		let fields = (1u32 << p).min(T::MaxFields::get());
		let document = document(fields, v);
		let commitment = committed::<T>(&document, Sensitivity::Ordinary);
		let disclosure = document.disclose(0).expect("field 0");
		let value: FieldValueOf<T> = disclosure.value.try_into().expect("bounded");
		let proof: FieldProof = disclosure.proof.try_into().expect("at most 32 hashes");

		#[extrinsic_call]
		_(RawOrigin::Signed(admin::<T>()), commitment, 0, value, disclosure.salt, proof);

		assert!(Published::<T>::contains_key(commitment, 0));
	}

	/// Verifies one 64-bit range proof.
	#[benchmark]
	fn commit_value() {
		let (who, organization) = reporter::<T>();
		let (metric, _) = T::BenchmarkHelper::metric_and_record();
		let document = committed::<T>(&document(1, 1), Sensitivity::Ordinary);
		let subject: SubjectOf<T> = alloc::vec![b's'; T::MaxSubjectLength::get() as usize]
			.try_into()
			.expect("exact length");
		let statement = threshold::statement(organization, metric, &subject, 0);
		let opening = Opening::new(950, &mut rng());
		let proof = threshold::prove_value(&opening, &statement, &mut rng()).expect("valid");
		let commitment = opening.commitment().expect("valid");

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who),
			metric,
			subject,
			0,
			commitment,
			proof.try_into().expect("672 bytes"),
			Some(document),
		);

		assert!(Values::<T>::contains_key(0));
	}

	/// Verifies one 64-bit range proof.
	#[benchmark]
	fn prove_threshold() {
		let (opening, statement, value) = committed_value::<T>();
		let (who, _) = reporter::<T>();
		let proof =
			threshold::prove_threshold(&opening, 1_000, Direction::AtMost, &statement, &mut rng())
				.expect("950 is at most 1,000");

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who),
			value,
			1_000,
			Direction::AtMost,
			proof.try_into().expect("672 bytes"),
		);

		assert_eq!(Proven::<T>::get(value).at_most, Some(1_000));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::build(), crate::mock::Test);
}
