use crate::{
	mock::*, Approvals, Claims, Commitments, Direction, Error, Event, FieldCheckError,
	FieldDisclosure, OpenRequests, Published, RequestStatus, Requests, Sensitivity, SubjectOf,
	H256,
};
use frame::testing_prelude::*;
use perfledger_primitives::{ProvenRange, Role, ThresholdClaims};
use perfledger_proofs::{
	fields::{schema_hash, Document},
	threshold::{self, Opening},
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn rng() -> ChaCha20Rng {
	ChaCha20Rng::seed_from_u64(7)
}

/// A document of `n` fields ("field 0", "field 1", ...).
fn document(n: u32) -> Document {
	let values = (0..n).map(|i| format!("field {i}").into_bytes()).collect();
	Document::new(schema_hash(b"emissions report v1"), values, &mut rng()).unwrap()
}

/// Acme's reporter commits `document`; returns the commitment's id.
fn commit(document: &Document, sensitivity: Sensitivity) -> u64 {
	let id = crate::NextCommitmentId::<Test>::get();
	assert_ok!(Disclosure::commit(
		signed(ACME_REPORTER),
		document.schema(),
		document.root(),
		document.len(),
		sensitivity,
		Some(ACME_RECORD),
	));
	id
}

mod commitments {
	use super::*;

	#[test]
	fn a_commitment_binds_to_a_record_of_the_organization() {
		ExtBuilder::build_and_execute(|| {
			let document = document(4);
			let id = commit(&document, Sensitivity::Ordinary);
			let stored = Commitments::<Test>::get(id).unwrap();
			assert_eq!(
				(stored.organization, stored.root, stored.fields, stored.record),
				(ACME, document.root(), 4, Some(ACME_RECORD))
			);
			assert_eq!(
				last_event(),
				Event::Committed {
					commitment: id,
					organization: ACME,
					schema: document.schema(),
					root: document.root(),
					fields: 4,
					sensitivity: Sensitivity::Ordinary,
					record: Some(ACME_RECORD),
				}
				.into()
			);
		});
	}

	#[test]
	fn bad_commitments_fail_with_their_own_error_and_change_nothing() {
		ExtBuilder::build_and_execute(|| {
			let (schema, root) = (H256::repeat_byte(1), H256::repeat_byte(2));
			let commit = |who, fields, record| {
				Disclosure::commit(signed(who), schema, root, fields, Sensitivity::Ordinary, record)
			};
			// Permission first, input second: the input is judged only for a permitted signer.
			assert_noop!(commit(ACME_REPORTER, 0, Some(ACME_RECORD)), Error::<Test>::NoFields);
			assert_noop!(
				commit(ACME_REPORTER, 65, Some(ACME_RECORD)),
				Error::<Test>::TooManyFields
			);
			assert_noop!(commit(ACME_ADMIN, 0, Some(ACME_RECORD)), Error::<Test>::NotPermitted);
			assert_noop!(commit(STRANGER, 3, None), Error::<Test>::NoOrganization);
			assert_noop!(commit(ACME_REPORTER, 3, Some(99)), Error::<Test>::UnknownRecord);
			assert_noop!(
				commit(ACME_REPORTER, 3, Some(BOREALIS_RECORD)),
				Error::<Test>::RecordOfAnotherOrganization
			);
			// The reporter's grant covers emissions only: a document not bound to a record of
			// that metric is not covered; an admin does not report.
			assert_noop!(commit(ACME_REPORTER, 3, None), Error::<Test>::NotPermitted);
			assert_noop!(commit(ACME_ADMIN, 3, Some(ACME_RECORD)), Error::<Test>::NotPermitted);
		});
	}
}

mod verification {
	use super::*;

	#[test]
	fn every_field_of_documents_of_several_sizes_verifies_against_the_chain() {
		ExtBuilder::build_and_execute(|| {
			for n in [1, 2, 5, 32, 64] {
				let document = document(n);
				let id = commit(&document, Sensitivity::Ordinary);
				for position in 0..n {
					let disclosure = document.disclose(position).unwrap();
					assert_eq!(Disclosure::verify_field(id, &disclosure), Ok(()), "{n} {position}");
				}
			}
		});
	}

	#[test]
	fn every_tampering_fails_against_the_chain() {
		ExtBuilder::build_and_execute(|| {
			let document = document(32);
			let id = commit(&document, Sensitivity::Ordinary);
			let good = document.disclose(9).unwrap();
			let tampered = |change: fn(&mut FieldDisclosure)| {
				let mut disclosure = good.clone();
				change(&mut disclosure);
				Disclosure::verify_field(id, &disclosure)
			};
			let mismatch = Err(FieldCheckError::Mismatch);
			assert_eq!(tampered(|d| d.value = b"field 10".to_vec()), mismatch);
			assert_eq!(tampered(|d| d.salt[31] ^= 0x80), mismatch);
			assert_eq!(tampered(|d| d.position = 8), mismatch);
			assert_eq!(tampered(|d| d.proof[0] = H256::zero()), mismatch);
			assert_eq!(tampered(|d| d.proof.truncate(4)), mismatch);
			assert_eq!(tampered(|d| d.position = 32), Err(FieldCheckError::PositionOutOfRange));
			assert_eq!(
				Disclosure::verify_field(id + 1, &good),
				Err(FieldCheckError::UnknownCommitment)
			);
			assert_eq!(Disclosure::verify_field(id, &good), Ok(()));
		});
	}

	#[test]
	fn the_owner_publishes_a_field_only_if_it_checks() {
		ExtBuilder::build_and_execute(|| {
			let document = document(5);
			let id = commit(&document, Sensitivity::Ordinary);
			let d = document.disclose(3).unwrap();
			let publish = |who, position, value: &[u8], salt, proof: &[H256]| {
				Disclosure::publish_field(
					signed(who),
					id,
					position,
					value.to_vec().try_into().unwrap(),
					salt,
					proof.to_vec().try_into().unwrap(),
				)
			};
			let mut salt = d.salt;
			salt[0] ^= 1;
			assert_noop!(
				publish(ACME_ADMIN, 3, &d.value, salt, &d.proof),
				Error::<Test>::FieldMismatch
			);
			assert_noop!(
				publish(ACME_ADMIN, 3, b"field 4", d.salt, &d.proof),
				Error::<Test>::FieldMismatch
			);
			assert_noop!(
				publish(ACME_ADMIN, 2, &d.value, d.salt, &d.proof),
				Error::<Test>::FieldMismatch
			);
			assert_noop!(
				publish(ACME_ADMIN, 5, &d.value, d.salt, &d.proof),
				Error::<Test>::FieldOutOfRange
			);
			assert_noop!(
				publish(BOREALIS_ADMIN, 3, &d.value, d.salt, &d.proof),
				Error::<Test>::NotPermitted
			);
			assert_noop!(
				publish(ACME_REPORTER, 3, &d.value, d.salt, &d.proof),
				Error::<Test>::NotPermitted
			);

			assert_ok!(publish(ACME_ADMIN, 3, &d.value, d.salt, &d.proof));
			assert_eq!(Published::<Test>::get(id, 3).unwrap().to_vec(), b"field 3".to_vec());
			assert_eq!(
				last_event(),
				Event::FieldPublished {
					commitment: id,
					position: 3,
					value: b"field 3".to_vec().try_into().unwrap()
				}
				.into()
			);
			assert_noop!(
				publish(ACME_ADMIN, 3, &d.value, d.salt, &d.proof),
				Error::<Test>::AlreadyPublished
			);
		});
	}
}

mod grants {
	use super::*;

	fn request(who: u64, commitment: u64, fields: Vec<u32>) -> DispatchResult {
		Disclosure::request_disclosure(signed(who), commitment, fields.try_into().unwrap())
	}

	/// The auditor (of Delta) asks for fields 1 and 3; returns the request.
	fn requested(commitment: u64) -> u64 {
		let id = crate::NextRequestId::<Test>::get();
		assert_ok!(request(AUDITOR, commitment, vec![1, 3]));
		id
	}

	#[test]
	fn requests_are_checked() {
		ExtBuilder::build_and_execute(|| {
			let c = commit(&document(4), Sensitivity::Ordinary);
			assert_noop!(request(AUDITOR, c + 1, vec![1]), Error::<Test>::UnknownCommitment);
			assert_noop!(request(AUDITOR, c, vec![]), Error::<Test>::NoFieldsRequested);
			assert_noop!(request(AUDITOR, c, vec![3, 1]), Error::<Test>::FieldsNotAscending);
			assert_noop!(request(AUDITOR, c, vec![1, 1]), Error::<Test>::FieldsNotAscending);
			assert_noop!(request(AUDITOR, c, vec![1, 4]), Error::<Test>::FieldOutOfRange);
			for _ in 0..3 {
				assert_ok!(request(AUDITOR, c, vec![0]));
			}
			assert_noop!(request(AUDITOR, c, vec![0]), Error::<Test>::TooManyOpenRequests);
			assert_eq!(OpenRequests::<Test>::get(AUDITOR), 3);
		});
	}

	/// A partner (any member of an organization) may ask; an auditor or regulator of no
	/// organization may ask only about what its grant covers; an account with neither may not.
	#[test]
	fn only_members_and_auditors_covering_the_data_ask() {
		ExtBuilder::build_and_execute(|| {
			// Acme's commitment is bound to a record of emissions.
			let c = commit(&document(4), Sensitivity::Ordinary);
			// A regulator scoped to another metric asks nothing of it, nor does a stranger.
			ConsortiumGrants::set(vec![(STRANGER, Role::Regulator, Some(EMISSIONS + 1))]);
			assert_noop!(request(STRANGER, c, vec![1]), Error::<Test>::NotPermitted);
			ConsortiumGrants::set(vec![]);
			assert_noop!(request(STRANGER, c, vec![1]), Error::<Test>::NotPermitted);
			// Scoped to emissions, or unscoped, it asks; its request names no organization.
			ConsortiumGrants::set(vec![(STRANGER, Role::Regulator, Some(EMISSIONS))]);
			assert_ok!(request(STRANGER, c, vec![1]));
			ConsortiumGrants::set(vec![(STRANGER, Role::Auditor, None)]);
			assert_ok!(request(STRANGER, c, vec![2]));
			assert_eq!(crate::Requests::<Test>::get(1).unwrap().requester_organization, None);
			// A member of any organization asks as a partner.
			assert_ok!(request(BOREALIS_ADMIN, c, vec![1]));
		});
	}

	#[test]
	fn a_grant_is_active_until_it_expires_and_is_then_purged() {
		ExtBuilder::build_and_execute(|| {
			let c = commit(&document(4), Sensitivity::Ordinary);
			let r = requested(c);
			assert!(!Disclosure::is_active(r));
			let grant = |who, at| Disclosure::grant_disclosure(signed(who), r, at);
			assert_noop!(grant(BOREALIS_ADMIN, 20), Error::<Test>::NotPermitted);
			assert_noop!(grant(ACME_REPORTER, 20), Error::<Test>::NotPermitted);
			assert_noop!(grant(ACME_ADMIN, 1), Error::<Test>::ExpiryInThePast);
			assert_noop!(grant(ACME_ADMIN, 102), Error::<Test>::ExpiryTooFar);
			assert_noop!(Disclosure::purge_expired(signed(STRANGER), r), Error::<Test>::NotGranted);

			assert_ok!(grant(ACME_ADMIN, 20));
			assert!(Disclosure::is_active(r));
			let events: Vec<_> =
				System::events().into_iter().rev().take(2).map(|e| e.event).collect();
			assert_eq!(
				events,
				vec![
					Event::DisclosureActivated { request: r, expires_at: 20 }.into(),
					Event::DisclosureGranted {
						request: r,
						by: ACME_ADMIN,
						expires_at: 20,
						approvals_required: 0
					}
					.into(),
				]
			);
			assert_noop!(grant(ACME_ADMIN, 30), Error::<Test>::AlreadyDecided);

			System::set_block_number(19);
			assert!(Disclosure::is_active(r));
			assert_noop!(
				Disclosure::purge_expired(signed(STRANGER), r),
				Error::<Test>::GrantNotExpired
			);
			System::set_block_number(20);
			assert!(!Disclosure::is_active(r));
			assert_ok!(Disclosure::purge_expired(signed(STRANGER), r));
			assert_eq!(last_event(), Event::GrantExpired { request: r }.into());
			assert!(Requests::<Test>::get(r).is_none());
			assert_eq!(OpenRequests::<Test>::get(AUDITOR), 0);
		});
	}

	#[test]
	fn the_owner_refuses_or_revokes_and_the_requester_withdraws() {
		ExtBuilder::build_and_execute(|| {
			let c = commit(&document(4), Sensitivity::Ordinary);
			let (refused, revoked, withdrawn) = (requested(c), requested(c), requested(c));
			assert_eq!(OpenRequests::<Test>::get(AUDITOR), 3);

			assert_noop!(
				Disclosure::refuse_disclosure(signed(BOREALIS_ADMIN), refused),
				Error::<Test>::NotPermitted
			);
			assert_ok!(Disclosure::refuse_disclosure(signed(ACME_ADMIN), refused));
			assert_eq!(
				last_event(),
				Event::DisclosureRefused { request: refused, by: ACME_ADMIN }.into()
			);

			assert_noop!(
				Disclosure::revoke_disclosure(signed(ACME_ADMIN), revoked),
				Error::<Test>::NotGranted
			);
			assert_ok!(Disclosure::grant_disclosure(signed(ACME_ADMIN), revoked, 50));
			assert_noop!(
				Disclosure::refuse_disclosure(signed(ACME_ADMIN), revoked),
				Error::<Test>::AlreadyDecided
			);
			assert!(Disclosure::is_active(revoked));
			assert_ok!(Disclosure::revoke_disclosure(signed(ACME_ADMIN), revoked));
			assert!(!Disclosure::is_active(revoked));
			assert_eq!(
				last_event(),
				Event::DisclosureRevoked { request: revoked, by: ACME_ADMIN }.into()
			);

			assert_noop!(
				Disclosure::withdraw_request(signed(ACME_ADMIN), withdrawn),
				Error::<Test>::NotRequester
			);
			assert_ok!(Disclosure::withdraw_request(signed(AUDITOR), withdrawn));
			assert_eq!(last_event(), Event::RequestWithdrawn { request: withdrawn }.into());

			for r in [refused, revoked, withdrawn] {
				assert!(Requests::<Test>::get(r).is_none());
				assert_noop!(
					Disclosure::revoke_disclosure(signed(ACME_ADMIN), r),
					Error::<Test>::UnknownRequest
				);
			}
			assert_eq!(OpenRequests::<Test>::get(AUDITOR), 0);
			assert!(!OpenRequests::<Test>::contains_key(AUDITOR));
		});
	}

	/// Independence is judged from the organization the requester acted for when it asked: a
	/// requester that moves to another organization after asking cannot have its former
	/// organization approve (nor its new one).
	#[test]
	fn the_requesters_organization_at_request_time_never_approves() {
		ExtBuilder::build_and_execute(|| {
			let c = commit(&document(4), Sensitivity::Sensitive);
			let r = requested(c);
			assert_eq!(crate::Requests::<Test>::get(r).unwrap().requester_organization, Some(3));
			assert_ok!(Disclosure::grant_disclosure(signed(ACME_ADMIN), r, 40));
			// The auditor now acts for Coldline (2) instead of Delta (3).
			Grants::mutate(|grants| {
				for grant in grants.iter_mut().filter(|g| g.0 == AUDITOR) {
					grant.2 = 2;
				}
			});
			let approve = |who| Disclosure::approve_disclosure(signed(who), r);
			assert_noop!(approve(DELTA_ADMIN), Error::<Test>::RequestersOrganization);
			assert_noop!(approve(COLDLINE_ADMIN), Error::<Test>::RequestersOrganization);
			assert_ok!(approve(BOREALIS_ADMIN));
		});
	}

	/// Version 1 requests get the organization their requester acts for at the upgrade.
	#[test]
	fn the_v2_migration_keeps_each_requesters_organization() {
		use crate::migrations::v2::{v1, MigrateV1ToV2};
		use frame::deps::frame_support::{
			storage::unhashed,
			traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		};
		ExtBuilder::build_and_execute(|| {
			let c = commit(&document(4), Sensitivity::Sensitive);
			let r = requested(c);
			let now = crate::Requests::<Test>::get(r).unwrap();
			let old = v1::Request {
				commitment: now.commitment,
				requester: now.requester,
				fields: now.fields.clone(),
				status: now.status.clone(),
				requested_at: now.requested_at,
			};
			unhashed::put(&crate::Requests::<Test>::hashed_key_for(r), &old);
			StorageVersion::new(1).put::<Disclosure>();
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(crate::Requests::<Test>::get(r), Some(now));
			assert_eq!(Disclosure::on_chain_storage_version(), 2);
		});
	}

	#[test]
	fn sensitive_data_needs_the_configured_approvals_from_others() {
		ExtBuilder::build_and_execute(|| {
			let c = commit(&document(4), Sensitivity::Sensitive);
			let r = requested(c);
			let approve = |who| Disclosure::approve_disclosure(signed(who), r);
			assert_noop!(approve(BOREALIS_ADMIN), Error::<Test>::NotAwaitingApproval);
			assert_ok!(Disclosure::grant_disclosure(signed(ACME_ADMIN), r, 40));
			assert_eq!(
				last_event(),
				Event::DisclosureGranted {
					request: r,
					by: ACME_ADMIN,
					expires_at: 40,
					approvals_required: 2
				}
				.into()
			);
			assert!(!Disclosure::is_active(r));

			assert_noop!(approve(ACME_ADMIN), Error::<Test>::OwnOrganization);
			assert_noop!(approve(DELTA_ADMIN), Error::<Test>::RequestersOrganization);
			assert_noop!(approve(AUDITOR), Error::<Test>::NotPermitted);
			assert_noop!(approve(STRANGER), Error::<Test>::NoOrganization);
			assert_noop!(
				Disclosure::approve_disclosure_by_council(signed(BOREALIS_ADMIN), r),
				DispatchError::BadOrigin
			);

			// One approval of two: not active; the same organization cannot count twice.
			assert_ok!(approve(BOREALIS_ADMIN));
			assert_eq!(
				last_event(),
				Event::DisclosureApproved {
					request: r,
					approver: crate::Approver::Organization(BOREALIS),
					approvals: 1
				}
				.into()
			);
			assert!(!Disclosure::is_active(r));
			assert_eq!(
				Requests::<Test>::get(r).unwrap().status,
				RequestStatus::AwaitingApproval { expires_at: 40, approvals: 1 }
			);
			assert_noop!(approve(BOREALIS_ADMIN), Error::<Test>::AlreadyApproved);

			// The council's approval is the second: active.
			assert_ok!(Disclosure::approve_disclosure_by_council(RuntimeOrigin::root(), r));
			assert!(Disclosure::is_active(r));
			assert_eq!(
				last_event(),
				Event::DisclosureActivated { request: r, expires_at: 40 }.into()
			);
			assert_eq!(Approvals::<Test>::iter_prefix(r).count(), 0);
			assert_noop!(approve(COLDLINE_ADMIN), Error::<Test>::NotAwaitingApproval);
		});
	}

	#[test]
	fn approvals_after_expiry_do_not_activate_and_revocation_clears_them() {
		ExtBuilder::build_and_execute(|| {
			let c = commit(&document(4), Sensitivity::Sensitive);
			let (late, revoked) = (requested(c), requested(c));
			for r in [late, revoked] {
				assert_ok!(Disclosure::grant_disclosure(signed(ACME_ADMIN), r, 10));
				assert_ok!(Disclosure::approve_disclosure(signed(BOREALIS_ADMIN), r));
			}
			assert_ok!(Disclosure::revoke_disclosure(signed(ACME_ADMIN), revoked));
			assert_eq!(Approvals::<Test>::iter_prefix(revoked).count(), 0);

			System::set_block_number(10);
			assert_noop!(
				Disclosure::approve_disclosure(signed(COLDLINE_ADMIN), late),
				Error::<Test>::GrantExpired
			);
			assert!(!Disclosure::is_active(late));
			assert_ok!(Disclosure::purge_expired(signed(STRANGER), late));
			assert_eq!(Approvals::<Test>::iter_prefix(late).count(), 0);
		});
	}
}

mod thresholds {
	use super::*;

	const PERIOD: u64 = 9;

	fn subject() -> SubjectOf<Test> {
		b"plant 7".to_vec().try_into().unwrap()
	}

	fn statement(period: u64) -> Vec<u8> {
		threshold::statement(ACME, EMISSIONS, b"plant 7", period)
	}

	/// Acme commits `value` for day `PERIOD`; returns the opening and the value's id.
	fn committed(value: i64) -> (Opening, u64) {
		let opening = Opening::new(value, &mut rng());
		let proof = threshold::prove_value(&opening, &statement(PERIOD), &mut rng()).unwrap();
		let id = crate::NextValueId::<Test>::get();
		assert_ok!(Disclosure::commit_value(
			signed(ACME_REPORTER),
			EMISSIONS,
			subject(),
			PERIOD,
			opening.commitment().unwrap(),
			proof.try_into().unwrap(),
			None,
		));
		(opening, id)
	}

	fn prove(opening: &Opening, threshold: i64, direction: Direction) -> crate::RangeProof {
		threshold::prove_threshold(opening, threshold, direction, &statement(PERIOD), &mut rng())
			.unwrap()
			.try_into()
			.unwrap()
	}

	#[test]
	fn a_committed_value_needs_a_proof_for_its_own_statement() {
		ExtBuilder::build_and_execute(|| {
			let opening = Opening::new(1_234, &mut rng());
			let commitment = opening.commitment().unwrap();
			let proof_for = |period| -> crate::RangeProof {
				threshold::prove_value(&opening, &statement(period), &mut rng())
					.unwrap()
					.try_into()
					.unwrap()
			};
			let commit_value = |who, period, proof, document| {
				Disclosure::commit_value(
					signed(who),
					EMISSIONS,
					subject(),
					period,
					commitment,
					proof,
					document,
				)
			};
			assert_noop!(
				commit_value(ACME_REPORTER, PERIOD, proof_for(8), None),
				Error::<Test>::InvalidProof
			);
			assert_noop!(
				commit_value(ACME_REPORTER, 11, proof_for(11), None),
				Error::<Test>::PeriodInTheFuture
			);
			assert_noop!(
				commit_value(ACME_ADMIN, PERIOD, proof_for(PERIOD), None),
				Error::<Test>::NotPermitted
			);
			assert_noop!(
				commit_value(ACME_REPORTER, PERIOD, proof_for(PERIOD), Some(0)),
				Error::<Test>::UnknownCommitment
			);
			let mut short = proof_for(PERIOD);
			short.pop();
			assert_noop!(
				commit_value(ACME_REPORTER, PERIOD, short, None),
				Error::<Test>::MalformedProof
			);
			assert_noop!(
				Disclosure::commit_value(
					signed(ACME_REPORTER),
					EMISSIONS,
					subject(),
					PERIOD,
					[0xff; 32],
					proof_for(PERIOD),
					None
				),
				Error::<Test>::MalformedProof
			);

			let c = commit(&document(2), Sensitivity::Ordinary);
			assert_ok!(commit_value(ACME_REPORTER, PERIOD, proof_for(PERIOD), Some(c)));
			assert_eq!(
				last_event(),
				Event::ValueCommitted {
					value: 0,
					organization: ACME,
					metric: EMISSIONS,
					subject: subject(),
					period: PERIOD,
					commitment
				}
				.into()
			);
			// One value per organization, metric, subject and period.
			assert_noop!(
				commit_value(ACME_REPORTER, PERIOD, proof_for(PERIOD), None),
				Error::<Test>::ValueAlreadyCommitted
			);
		});
	}

	#[test]
	fn claims_are_proved_recorded_and_read_by_other_pallets() {
		ExtBuilder::build_and_execute(|| {
			let (opening, value) = committed(950);
			assert_eq!(
				<Disclosure as ThresholdClaims>::proven_range(ACME, EMISSIONS, b"plant 7", PERIOD),
				Some(ProvenRange::default())
			);

			assert_ok!(Disclosure::prove_threshold(
				signed(ACME_REPORTER),
				value,
				1_000,
				Direction::AtMost,
				prove(&opening, 1_000, Direction::AtMost)
			));
			assert_eq!(
				last_event(),
				Event::ThresholdProven {
					claim: 0,
					value,
					organization: ACME,
					metric: EMISSIONS,
					period: PERIOD,
					threshold: 1_000,
					direction: Direction::AtMost
				}
				.into()
			);
			let claim = Claims::<Test>::get(0).unwrap();
			assert_eq!(
				(claim.value, claim.threshold, claim.direction, claim.claimant),
				(value, 1_000, Direction::AtMost, ACME_REPORTER)
			);

			assert_ok!(Disclosure::prove_threshold(
				signed(ACME_REPORTER),
				value,
				900,
				Direction::AtLeast,
				prove(&opening, 900, Direction::AtLeast)
			));
			let range =
				<Disclosure as ThresholdClaims>::proven_range(ACME, EMISSIONS, b"plant 7", PERIOD)
					.unwrap();
			assert_eq!(range, ProvenRange { at_least: Some(900), at_most: Some(1_000) });
			assert!(range.at_most(1_000) && range.at_most(2_000) && !range.at_most(999));
			assert!(range.at_least(900) && !range.at_least(901));
			assert_eq!(
				<Disclosure as ThresholdClaims>::proven_range(ACME, EMISSIONS, b"plant 8", PERIOD),
				None
			);

			// A claim already implied is refused before its proof is checked.
			assert_noop!(
				Disclosure::prove_threshold(
					signed(ACME_REPORTER),
					value,
					1_200,
					Direction::AtMost,
					prove(&opening, 1_200, Direction::AtMost)
				),
				Error::<Test>::AlreadyProven
			);
		});
	}

	#[test]
	fn a_false_claim_does_not_verify_and_a_proof_does_not_carry_over() {
		ExtBuilder::build_and_execute(|| {
			let (opening, value) = committed(950);
			let claim = |threshold, direction, proof| {
				Disclosure::prove_threshold(
					signed(ACME_REPORTER),
					value,
					threshold,
					direction,
					proof,
				)
			};
			// "At most 949" cannot be proved; the proof of "at most 950" does not prove it,
			// nor "at least 951", nor anything about another committed value.
			assert!(threshold::prove_threshold(
				&opening,
				949,
				Direction::AtMost,
				&statement(PERIOD),
				&mut rng()
			)
			.is_err());
			let at_most_950 = prove(&opening, 950, Direction::AtMost);
			assert_noop!(
				claim(949, Direction::AtMost, at_most_950.clone()),
				Error::<Test>::InvalidProof
			);
			assert_noop!(
				claim(951, Direction::AtLeast, at_most_950.clone()),
				Error::<Test>::InvalidProof
			);
			let other = Opening::new(950, &mut ChaCha20Rng::seed_from_u64(8));
			let foreign = threshold::prove_threshold(
				&other,
				2_000,
				Direction::AtMost,
				&statement(PERIOD),
				&mut rng(),
			)
			.unwrap();
			assert_noop!(
				claim(2_000, Direction::AtMost, foreign.try_into().unwrap()),
				Error::<Test>::InvalidProof
			);
			assert_noop!(
				Disclosure::prove_threshold(
					signed(BOREALIS_ADMIN),
					value,
					950,
					Direction::AtMost,
					at_most_950.clone()
				),
				Error::<Test>::NotPermitted
			);
			assert_noop!(
				Disclosure::prove_threshold(
					signed(ACME_REPORTER),
					value + 1,
					950,
					Direction::AtMost,
					at_most_950.clone()
				),
				Error::<Test>::UnknownValue
			);
			assert_ok!(claim(950, Direction::AtMost, at_most_950));
			assert_eq!(
				crate::Proven::<Test>::get(value),
				ProvenRange { at_least: None, at_most: Some(950) }
			);
		});
	}
}
