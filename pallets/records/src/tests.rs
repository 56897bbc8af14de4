//! Tests of records: every validation rule's refusal, hash links and their breaking,
//! corrections, device readings (replayed, forged), Merkle proofs and aggregates.

use crate::{
	merkle, mock::*, stream_id, verify_links, Aggregates, Batches, Corrections, Devices, Error,
	Event, MetricSpec, MetricSpecOf, MetricVersions, Metrics, ParentsOf, Reading, ReadingOf,
	RecordInput, RecordInputOf, Streams, SupersededBy, Value, ValueType, H256,
};
use frame::{
	deps::{
		sp_core::{sr25519, Pair},
		sp_runtime::{
			traits::IdentifyAccount,
			transaction_validity::{
				InvalidTransaction, TransactionSource, TransactionValidity,
				TransactionValidityError,
			},
			AccountId32, MultiSignature, MultiSigner,
		},
	},
	hashing::blake2_256,
	testing_prelude::*,
};
use perfledger_primitives::{Aggregate, PerformanceData, Region, Role};

fn signed(n: u8) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(n))
}

fn doc(i: u32) -> H256 {
	H256(blake2_256(&i.to_le_bytes()))
}

fn lead_time(subject: &str, hundredths: i128, time: u64, document: u32) -> RecordInputOf<Test> {
	RecordInput {
		metric: LEAD_TIME,
		subject: subject.as_bytes().to_vec().try_into().unwrap(),
		value: Value { amount: hundredths, scale: 2 },
		time,
		document: doc(document),
		region: None,
		parents: Default::default(),
	}
}

fn submit(input: RecordInputOf<Test>) -> DispatchResult {
	Records::submit_record(signed(ACME_REPORTER), input).map(|_| ()).map_err(|e| e.error)
}

fn spec(name: &str, unit: &str) -> MetricSpecOf<Test> {
	MetricSpec {
		name: name.as_bytes().to_vec().try_into().unwrap(),
		unit: unit.as_bytes().to_vec().try_into().unwrap(),
		value_type: ValueType::Integer,
		min: 0,
		max: 100,
		period_ms: DAY,
		reporters: vec![Role::Reporter].try_into().unwrap(),
		device_only: false,
	}
}

fn last_record() -> u64 {
	crate::NextRecordId::<Test>::get() - 1
}

mod metrics {
	use super::*;

	#[test]
	fn an_admin_defines_a_metric_with_every_refusal_checked() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(Records::define_metric(signed(BOREALIS_ADMIN), spec("On-time", "1")));
			System::assert_last_event(Event::MetricDefined { metric: 2, owner: BOREALIS }.into());
			assert_eq!(Metrics::<Test>::get(2).map(|h| (h.owner, h.version)), Some((BOREALIS, 1)));

			let refused = |s: MetricSpecOf<Test>, by: u8, error: Error<Test>| {
				assert_noop!(Records::define_metric(signed(by), s), error);
			};
			refused(spec("x", "1"), STRANGER, Error::NoOrganization);
			refused(spec("x", "1"), ACME_REPORTER, Error::NotPermitted);
			refused(spec("", "1"), ACME_ADMIN, Error::BadNameOrUnit);
			refused(spec("x", ""), ACME_ADMIN, Error::BadNameOrUnit);
			refused(spec("x", "k g"), ACME_ADMIN, Error::BadNameOrUnit);
			refused(MetricSpec { min: 5, max: 4, ..spec("x", "1") }, ACME_ADMIN, Error::BadRange);
			refused(MetricSpec { period_ms: 0, ..spec("x", "1") }, ACME_ADMIN, Error::BadPeriod);
			refused(
				MetricSpec { reporters: Default::default(), ..spec("x", "1") },
				ACME_ADMIN,
				Error::NoReporters,
			);
			refused(
				MetricSpec { value_type: ValueType::Decimal { scale: 19 }, ..spec("x", "1") },
				ACME_ADMIN,
				Error::BadScale,
			);
		});
	}

	#[test]
	fn revisions_add_versions_and_retirement_stops_records() {
		ExtBuilder::build_and_execute(|| {
			let current = MetricVersions::<Test>::get(LEAD_TIME, 1).unwrap().spec;
			let narrower = MetricSpec { max: 500, ..current.clone() };
			assert_noop!(
				Records::revise_metric(signed(BOREALIS_ADMIN), LEAD_TIME, narrower.clone()),
				Error::<Test>::NotMetricOwner
			);
			assert_noop!(
				Records::revise_metric(signed(ACME_ADMIN), 7, narrower.clone()),
				Error::<Test>::UnknownMetric
			);
			for incompatible in [
				MetricSpec { unit: b"d".to_vec().try_into().unwrap(), ..current.clone() },
				MetricSpec { value_type: ValueType::Integer, ..current.clone() },
				MetricSpec { period_ms: HOUR, ..current.clone() },
			] {
				assert_noop!(
					Records::revise_metric(signed(ACME_ADMIN), LEAD_TIME, incompatible),
					Error::<Test>::IncompatibleRevision
				);
			}
			assert_ok!(submit(lead_time("s", 900, 1, 1)));
			assert_ok!(Records::revise_metric(signed(ACME_ADMIN), LEAD_TIME, narrower));
			System::assert_last_event(
				Event::MetricRevised { metric: LEAD_TIME, version: 2 }.into(),
			);
			// Version 1 stays readable; new records are checked against version 2.
			assert_eq!(MetricVersions::<Test>::get(LEAD_TIME, 1).unwrap().spec, current);
			assert_noop!(submit(lead_time("s", 900, 2, 2)), Error::<Test>::ValueOutOfRange);
			assert_ok!(submit(lead_time("s", 400, 2, 2)));
			assert_eq!(crate::Records::<Test>::get(last_record()).unwrap().version, 2);

			assert_noop!(
				Records::retire_metric(signed(ACME_REPORTER), LEAD_TIME),
				Error::<Test>::NotMetricOwner
			);
			assert_ok!(Records::retire_metric(signed(ACME_ADMIN), LEAD_TIME));
			System::assert_last_event(Event::MetricRetired { metric: LEAD_TIME }.into());
			assert_noop!(submit(lead_time("s", 400, 3, 3)), Error::<Test>::MetricRetired);
			assert_noop!(
				Records::retire_metric(signed(ACME_ADMIN), LEAD_TIME),
				Error::<Test>::MetricRetired
			);
		});
	}

	#[test]
	fn a_metric_an_agreement_settles_by_keeps_what_its_records_may_hold() {
		ExtBuilder::build_and_execute(|| {
			let current = MetricVersions::<Test>::get(LEAD_TIME, 1).unwrap().spec;
			ReliedOn::set(vec![LEAD_TIME]);
			// The owner cannot refuse the records another organization's agreement counts on:
			// no narrower range, no other reporting roles, no devices-only rule, no retirement.
			for change in [
				MetricSpec { max: 500, ..current.clone() },
				MetricSpec {
					reporters: vec![Role::OrganizationAdmin].try_into().unwrap(),
					..current.clone()
				},
				MetricSpec { device_only: true, ..current.clone() },
			] {
				assert_noop!(
					Records::revise_metric(signed(ACME_ADMIN), LEAD_TIME, change),
					Error::<Test>::MetricInUse
				);
			}
			assert_noop!(
				Records::retire_metric(signed(ACME_ADMIN), LEAD_TIME),
				Error::<Test>::MetricInUse
			);
			// A new name is harmless.
			let renamed = MetricSpec {
				name: b"Lead time (door to door)".to_vec().try_into().unwrap(),
				..current.clone()
			};
			assert_ok!(Records::revise_metric(signed(ACME_ADMIN), LEAD_TIME, renamed));
			// Once no agreement relies on it, the owner changes it freely.
			ReliedOn::set(vec![]);
			assert_ok!(Records::revise_metric(
				signed(ACME_ADMIN),
				LEAD_TIME,
				MetricSpec { max: 500, ..current }
			));
			assert_ok!(Records::retire_metric(signed(ACME_ADMIN), LEAD_TIME));
		});
	}
}

mod validation {
	use super::*;

	#[test]
	fn every_rule_refuses_with_its_own_error_and_writes_nothing() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(submit(lead_time("shipment-1", 1_250, 500_000, 1)));
			let now = Now::get();
			let refused = |by: u8, input: RecordInputOf<Test>, error: Error<Test>| {
				assert_noop!(Records::submit_record(signed(by), input), error);
			};
			refused(
				ACME_REPORTER,
				RecordInput { metric: 9, ..lead_time("a", 1, 1, 2) },
				Error::UnknownMetric,
			);
			refused(STRANGER, lead_time("a", 1, 1, 2), Error::NoOrganization);
			// The admin holds no reporting role.
			refused(ACME_ADMIN, lead_time("a", 1, 1, 2), Error::NotPermitted);
			// Borealis's reporter is limited to Finland.
			refused(BOREALIS_REPORTER, lead_time("a", 1, 1, 2), Error::NotPermitted);
			refused(
				ACME_REPORTER,
				RecordInput {
					metric: TEMPERATURE,
					value: Value { amount: 1, scale: 1 },
					..lead_time("a", 1, 1, 2)
				},
				Error::DeviceOnly,
			);
			refused(
				ACME_REPORTER,
				RecordInput { value: Value { amount: 12, scale: 1 }, ..lead_time("a", 1, 1, 2) },
				Error::WrongScale,
			);
			refused(ACME_REPORTER, lead_time("a", 100_001, 1, 2), Error::ValueOutOfRange);
			refused(ACME_REPORTER, lead_time("a", -1, 1, 2), Error::ValueOutOfRange);
			refused(ACME_REPORTER, lead_time("a", 1, now + 60_001, 2), Error::TimeInFuture);
			refused(
				ACME_REPORTER,
				lead_time("shipment-1", 1, 499_999, 2),
				Error::TimeBeforeStreamHead,
			);
			refused(ACME_REPORTER, lead_time("a", 1, 1, 1), Error::DuplicateDocument);
			let orphan: ParentsOf<Test> = vec![0, 42].try_into().unwrap();
			refused(
				ACME_REPORTER,
				RecordInput { parents: orphan, ..lead_time("a", 1, 1, 2) },
				Error::UnknownParent,
			);

			// Within the drift, at the stream's last time, in Finland: accepted.
			assert_ok!(submit(lead_time("a", 1, now + 60_000, 2)));
			assert_ok!(submit(lead_time("shipment-1", 1, 500_000, 3)));
			let finnish = RecordInput { region: Some(Region(*b"FI")), ..lead_time("b", 1, 1, 4) };
			assert_ok!(Records::submit_record(signed(BOREALIS_REPORTER), finnish));
			assert_eq!(crate::Records::<Test>::get(last_record()).unwrap().organization, BOREALIS);
		});
	}
}

mod streams {
	use super::*;

	/// Three records of shipment-1, oldest first.
	fn three() -> Vec<crate::RecordOf<Test>> {
		for i in 0..3 {
			assert_ok!(submit(lead_time("shipment-1", 100 + i as i128, 1_000 * i, i as u32)));
		}
		(0..3).map(|id| crate::Records::<Test>::get(id).unwrap()).collect()
	}

	/// Ids are handed out checked (`IdSequence`): the last record id is never handed out twice;
	/// the record that would need the next one fails with `Overflow` and writes nothing.
	#[test]
	fn the_last_record_id_is_not_handed_out_twice() {
		ExtBuilder::build_and_execute(|| {
			crate::NextRecordId::<Test>::put(u64::MAX - 1);
			assert_ok!(submit(lead_time("shipment-1", 100, 1_000, 1)));
			assert_eq!(crate::NextRecordId::<Test>::get(), u64::MAX);
			// The id u64::MAX is the one the sequence cannot move past: it is never taken.
			assert_noop!(submit(lead_time("shipment-1", 101, 2_000, 2)), Error::<Test>::Overflow);
		});
	}

	/// A record's hash covers a frozen encoding (v1): the stored record's SCALE encoding as it is
	/// today, so chains already running keep their links, and pinned by one known record's
	/// hash, so that a change of the stored type (a migration adding a field) fails here rather
	/// than changing every record's hash.
	#[test]
	fn the_record_hash_encoding_is_frozen() {
		let record: crate::RecordOf<Test> = crate::Record {
			stream: H256::repeat_byte(1),
			metric: 7,
			version: 2,
			organization: 3,
			value: -1_234,
			time: 1_700_000_000_000,
			document: H256::repeat_byte(2),
			region: Some(Region(*b"FI")),
			parents: vec![4, 5].try_into().unwrap(),
			previous: Some(6),
			link: H256::repeat_byte(3),
			submitter: crate::Submitter::Device(account(9)),
			recorded_at: 11,
		};
		assert_eq!(record.hashed_bytes(), record.encode());
		assert_eq!(
			format!("{:?}", record.hash()),
			"0xfebf13d820cf4011a171d124eae6f6bd47bd9e486f6c03394fc67215e0ebbd43"
		);
	}

	#[test]
	fn records_are_hash_linked_and_anyone_detects_a_change_or_an_omission() {
		// It tampers with storage on purpose: no invariant check after it.
		ExtBuilder::build().execute_with(|| {
			let records = three();
			let stream = stream_id(ACME, LEAD_TIME, b"shipment-1");
			assert_eq!(records[0].link, H256::zero());
			assert_eq!(records[1].link, records[0].hash());
			assert_eq!(records[2].link, records[1].hash());
			assert_eq!(Streams::<Test>::get(stream).unwrap().head_hash, records[2].hash());
			assert_eq!(Records::verify_stream(stream), Ok(3));
			assert_eq!(verify_links(&records), Ok(()));

			// Anyone holding the records sees a changed value or a missing record.
			let mut changed = records.clone();
			changed[1].value += 1;
			assert_eq!(verify_links(&changed), Err(2));
			let omitted = vec![records[0].clone(), records[2].clone()];
			assert_eq!(verify_links(&omitted), Err(1));

			// On chain, a record changed behind the pallet's back is found too.
			crate::Records::<Test>::mutate(1, |r| r.as_mut().unwrap().value += 1);
			assert_eq!(Records::verify_stream(stream), Err(1));
			crate::Records::<Test>::insert(1, records[1].clone());
			crate::Records::<Test>::mutate(2, |r| r.as_mut().unwrap().time += 1);
			assert_eq!(Records::verify_stream(stream), Err(2));
		});
	}

	#[test]
	fn a_correction_supersedes_and_keeps_the_original() {
		ExtBuilder::build_and_execute(|| {
			let records = three();
			let reason: crate::ReasonOf<Test> = b"typo in ERP export".to_vec().try_into().unwrap();
			let fix = Value { amount: 150, scale: 2 };
			assert_noop!(
				Records::correct_record(signed(ACME_REPORTER), 9, fix, doc(10), reason.clone()),
				Error::<Test>::UnknownRecord
			);
			assert_noop!(
				Records::correct_record(signed(ACME_REPORTER), 1, fix, doc(0), reason.clone()),
				Error::<Test>::DuplicateDocument
			);
			assert_noop!(
				Records::correct_record(signed(BOREALIS_REPORTER), 1, fix, doc(10), reason.clone()),
				Error::<Test>::NotOriginalReporter
			);
			assert_noop!(
				Records::correct_record(
					signed(ACME_REPORTER),
					1,
					Value { amount: 150, scale: 1 },
					doc(10),
					reason.clone()
				),
				Error::<Test>::WrongScale
			);
			assert_ok!(Records::correct_record(
				signed(ACME_REPORTER),
				1,
				fix,
				doc(10),
				reason.clone()
			));
			System::assert_last_event(Event::Corrected { record: 3, original: 1 }.into());
			assert_eq!(
				crate::Records::<Test>::get(1).unwrap(),
				records[1],
				"the original stays as it was"
			);
			assert_eq!(SupersededBy::<Test>::get(1), Some(3));
			assert_eq!(
				Corrections::<Test>::get(3).map(|c| (c.original, c.reason)),
				Some((1, reason.clone()))
			);
			let correction = crate::Records::<Test>::get(3).unwrap();
			assert_eq!(
				(correction.value, correction.time, correction.link),
				(150, records[1].time, records[2].hash())
			);
			assert_eq!(Records::verify_stream(stream_id(ACME, LEAD_TIME, b"shipment-1")), Ok(4));
			// Other pallets hear of every appended record, the correction included; the weight
			// reserved for them and not used is refunded (the test weights are 0 but for it).
			let info =
				Records::submit_record(signed(ACME_REPORTER), lead_time("shipment-2", 1, 0, 20))
					.unwrap();
			assert_eq!(info.actual_weight, Some(Weight::from_parts(7, 0)));
			Recorded::mutate(|seen| seen.truncate(4));
			let heard: Vec<_> =
				Recorded::get().into_iter().map(|(id, o, m, s, v)| (id, o, m, s, v)).collect();
			assert_eq!(heard.len(), 4);
			assert_eq!(heard[3], (3, ACME, LEAD_TIME, b"shipment-1".to_vec(), 150));
			assert_eq!(heard[1].0, 1);
			let view = Records::record_view(1).unwrap();
			assert_eq!(view.superseded_by, Some(3));
			assert_noop!(
				Records::correct_record(signed(ACME_REPORTER), 1, fix, doc(11), reason),
				Error::<Test>::AlreadySuperseded
			);
		});
	}

	#[test]
	fn history_and_provenance_walk_the_links() {
		ExtBuilder::build_and_execute(|| {
			three();
			let stream = stream_id(ACME, LEAD_TIME, b"shipment-1");
			let ids = |v: Vec<(u64, crate::RecordOf<Test>)>| {
				v.into_iter().map(|(id, _)| id).collect::<Vec<_>>()
			};
			assert_eq!(ids(Records::history(stream, None, 10)), vec![2, 1, 0]);
			assert_eq!(ids(Records::history(stream, Some(2), 1)), vec![1]);
			// A pallet built from batches 0 and 1; a shipment carrying the pallet and batch 2.
			let parents = |p: Vec<u64>| -> ParentsOf<Test> { p.try_into().unwrap() };
			assert_ok!(submit(RecordInput {
				parents: parents(vec![0, 1]),
				..lead_time("pallet-7", 1, 5, 20)
			}));
			assert_ok!(submit(RecordInput {
				parents: parents(vec![3, 2]),
				..lead_time("sscc:1", 1, 5, 21)
			}));
			assert_eq!(ids(Records::provenance(4, 1, 100)), vec![3, 2]);
			assert_eq!(ids(Records::provenance(4, 2, 100)), vec![3, 2, 0, 1]);
			assert_eq!(ids(Records::provenance(4, 2, 3)), vec![3, 2, 0]);
		});
	}
}

mod devices {
	#![allow(deprecated)] // ValidateUnsigned: see the pallet
	use super::*;
	use frame::deps::sp_runtime::traits::ValidateUnsigned;

	fn device_id(pair: &sr25519::Pair) -> AccountId32 {
		MultiSigner::from(pair.public()).into_account()
	}

	/// The device key's proof of possession for `organization`.
	fn proof(pair: &sr25519::Pair, organization: u32) -> MultiSignature {
		let genesis = System::block_hash(0);
		let payload = crate::registration_payload(genesis.as_ref(), &device_id(pair), organization);
		pair.sign(&payload).into()
	}

	fn register(pair: &sr25519::Pair) {
		let metrics = vec![TEMPERATURE].try_into().unwrap();
		assert_ok!(Records::register_device(
			signed(ACME_DEVICES),
			device_id(pair),
			metrics,
			proof(pair, ACME)
		));
	}

	fn reading(pair: &sr25519::Pair, counter: u64, tenths: i128, document: u32) -> ReadingOf<Test> {
		Reading {
			device: device_id(pair),
			counter,
			record: RecordInput {
				metric: TEMPERATURE,
				subject: b"reefer-12".to_vec().try_into().unwrap(),
				value: Value { amount: tenths, scale: 1 },
				time: counter * 1_000,
				document: doc(document),
				region: None,
				parents: Default::default(),
			},
		}
	}

	fn sign(pair: &sr25519::Pair, reading: &ReadingOf<Test>) -> MultiSignature {
		let genesis = System::block_hash(0);
		pair.sign(&crate::reading_payload(genesis.as_ref(), reading)).into()
	}

	fn send(reading: ReadingOf<Test>, signature: MultiSignature) -> DispatchResult {
		Records::submit_device_reading(RuntimeOrigin::none(), reading, signature)
			.map(|_| ())
			.map_err(|e| e.error)
	}

	fn pool_accepts(reading: ReadingOf<Test>, signature: MultiSignature) -> bool {
		let call = crate::Call::submit_device_reading { reading, signature };
		Records::validate_unsigned(TransactionSource::External, &call).is_ok()
	}

	/// A reading signed by a device of each key type, for the same metric and subject.
	#[test]
	fn sr25519_ed25519_and_ecdsa_devices_are_all_accepted() {
		use frame::deps::sp_core::{ecdsa, ed25519};
		ExtBuilder::build_and_execute(|| {
			let keys: Vec<(MultiSigner, Box<dyn Fn(&[u8]) -> MultiSignature>)> = vec![
				{
					let pair = device_pair(1);
					(pair.public().into(), Box::new(move |m: &[u8]| pair.sign(m).into()))
				},
				{
					let pair = ed25519::Pair::from_seed(&[2; 32]);
					(pair.public().into(), Box::new(move |m: &[u8]| pair.sign(m).into()))
				},
				{
					let pair = ecdsa::Pair::from_seed(&[3; 32]);
					(pair.public().into(), Box::new(move |m: &[u8]| pair.sign(m).into()))
				},
			];
			let genesis = System::block_hash(0);
			for (i, (public, sign)) in keys.iter().enumerate() {
				let device = public.clone().into_account();
				let metrics = vec![TEMPERATURE].try_into().unwrap();
				let payload = crate::registration_payload(genesis.as_ref(), &device, ACME);
				assert_ok!(Records::register_device(
					signed(ACME_DEVICES),
					device.clone(),
					metrics,
					sign(&payload)
				));
				let i = i as u64;
				let reading = Reading {
					device: device.clone(),
					counter: 1,
					record: RecordInput {
						metric: TEMPERATURE,
						subject: b"reefer-12".to_vec().try_into().unwrap(),
						value: Value { amount: 20, scale: 1 },
						time: 1_000 * (i + 1),
						document: doc(100 + i as u32),
						region: None,
						parents: Default::default(),
					},
				};
				let signature = sign(&crate::reading_payload(genesis.as_ref(), &reading));
				assert_ok!(send(reading, signature));
				let record = crate::Records::<Test>::get(last_record()).unwrap();
				assert_eq!(record.submitter, crate::Submitter::Device(device));
			}
		});
	}

	#[test]
	fn registration_and_retirement_with_their_refusals() {
		ExtBuilder::build_and_execute(|| {
			let pair = device_pair(7);
			let metrics = || vec![TEMPERATURE].try_into().unwrap();
			let acme = || proof(&pair, ACME);
			assert_noop!(
				Records::register_device(
					signed(ACME_REPORTER),
					device_id(&pair),
					metrics(),
					acme()
				),
				Error::<Test>::NotPermitted
			);
			assert_noop!(
				Records::register_device(signed(STRANGER), device_id(&pair), metrics(), acme()),
				Error::<Test>::NoOrganization
			);
			assert_noop!(
				Records::register_device(
					signed(ACME_DEVICES),
					device_id(&pair),
					vec![9].try_into().unwrap(),
					acme()
				),
				Error::<Test>::UnknownMetric
			);
			register(&pair);
			System::assert_last_event(
				Event::DeviceRegistered { device: device_id(&pair), organization: ACME }.into(),
			);
			assert_noop!(
				Records::register_device(signed(ACME_DEVICES), device_id(&pair), metrics(), acme()),
				Error::<Test>::DeviceExists
			);
			assert_noop!(
				Records::retire_device(signed(ACME_REPORTER), device_id(&pair)),
				Error::<Test>::NotPermitted
			);
			assert_noop!(
				Records::retire_device(signed(ACME_DEVICES), account(77)),
				Error::<Test>::UnknownDevice
			);
			assert_ok!(Records::retire_device(signed(ACME_DEVICES), device_id(&pair)));
			assert_noop!(
				Records::retire_device(signed(ACME_DEVICES), device_id(&pair)),
				Error::<Test>::DeviceRetired
			);
			let r = reading(&pair, 1, 40, 1);
			assert_noop!(send(r.clone(), sign(&pair, &r)), Error::<Test>::DeviceRetired);
		});
	}

	#[test]
	fn a_signed_reading_needs_no_account_and_a_replay_or_forgery_is_refused() {
		ExtBuilder::build_and_execute(|| {
			let pair = device_pair(7);
			register(&pair);
			let first = reading(&pair, 1, -182, 1);
			assert!(pool_accepts(first.clone(), sign(&pair, &first)));
			assert_ok!(send(first.clone(), sign(&pair, &first)));
			let record = crate::Records::<Test>::get(last_record()).unwrap();
			assert_eq!(record.submitter, crate::Submitter::Device(device_id(&pair)));
			assert_eq!((record.organization, record.value), (ACME, -182));
			assert_eq!(Devices::<Test>::get(device_id(&pair)).unwrap().counter, 1);

			// The same reading again, or an older counter: a replay.
			assert!(!pool_accepts(first.clone(), sign(&pair, &first)));
			assert_noop!(send(first.clone(), sign(&pair, &first)), Error::<Test>::StaleCounter);
			let stale = reading(&pair, 0, 10, 2);
			assert_noop!(send(stale.clone(), sign(&pair, &stale)), Error::<Test>::StaleCounter);

			// Signed by another key, or altered after signing: forged.
			let next = reading(&pair, 2, 10, 2);
			let forger = device_pair(8);
			assert!(!pool_accepts(next.clone(), sign(&forger, &next)));
			assert_noop!(send(next.clone(), sign(&forger, &next)), Error::<Test>::BadSignature);
			let mut altered = next.clone();
			altered.record.value.amount = 300;
			assert_noop!(send(altered, sign(&pair, &next)), Error::<Test>::BadSignature);
			// An unregistered device, a metric it is not registered for.
			assert_noop!(
				send(reading(&forger, 2, 1, 2), sign(&forger, &reading(&forger, 2, 1, 2))),
				Error::<Test>::UnknownDevice
			);
			let mut other = next.clone();
			other.record.metric = LEAD_TIME;
			assert_noop!(
				send(other.clone(), sign(&pair, &other)),
				Error::<Test>::DeviceNotForMetric
			);
			// The record rules still apply.
			let hot = reading(&pair, 2, 301, 2);
			assert_noop!(send(hot.clone(), sign(&pair, &hot)), Error::<Test>::ValueOutOfRange);
			assert_ok!(send(next.clone(), sign(&pair, &next)));
			// Signed transactions cannot pass for a device.
			assert_noop!(
				Records::submit_device_reading(
					signed(ACME_DEVICES),
					next.clone(),
					sign(&pair, &next)
				),
				DispatchError::BadOrigin
			);
			let call = crate::Call::submit_device_reading {
				reading: next.clone(),
				signature: sign(&pair, &next),
			};
			assert_eq!(
				Records::validate_unsigned(TransactionSource::External, &call),
				Err(InvalidTransaction::Custom(Error::<Test>::StaleCounter.encode()[0]).into())
			);
		});
	}

	fn validity(reading: &ReadingOf<Test>, pair: &sr25519::Pair) -> TransactionValidity {
		let call = crate::Call::submit_device_reading {
			reading: reading.clone(),
			signature: sign(pair, reading),
		};
		Records::validate_unsigned(TransactionSource::External, &call)
	}

	fn in_block(
		reading: &ReadingOf<Test>,
		pair: &sr25519::Pair,
	) -> Result<(), TransactionValidityError> {
		let call = crate::Call::submit_device_reading {
			reading: reading.clone(),
			signature: sign(pair, reading),
		};
		Records::pre_dispatch(&call)
	}

	/// A device streams like an account with nonces: one reading ready at a time, the later ones
	/// waiting on the tag of the one before; below every signed transaction; a short longevity;
	/// and no more than `MaxReadingsPerBlock` (3 here) in one block, whatever the devices.
	#[test]
	fn a_device_streams_in_counter_order_and_cannot_flood_a_block() {
		ExtBuilder::build_and_execute(|| {
			let pair = device_pair(7);
			register(&pair);
			let first = reading(&pair, 1, 10, 1);
			let valid = validity(&first, &pair).unwrap();
			assert_eq!((valid.priority, valid.longevity), (0, 8));
			assert!(valid.requires.is_empty(), "the next counter is ready at once");
			let third = reading(&pair, 3, 30, 3);
			let waiting = validity(&third, &pair).unwrap();
			let second_tag = validity(&reading(&pair, 2, 20, 2), &pair).unwrap().provides;
			assert_eq!(waiting.requires, second_tag, "counter 3 waits for counter 2");
			// A block takes a device's readings in order only.
			assert_eq!(in_block(&third, &pair), Err(InvalidTransaction::Future.into()));
			assert_noop!(send(third.clone(), sign(&pair, &third)), Error::<Test>::CounterNotNext);

			// Three readings fill the block, from one device or several.
			let other = device_pair(8);
			register(&other);
			assert_ok!(in_block(&first, &pair));
			assert_ok!(send(first.clone(), sign(&pair, &first)));
			let second = reading(&pair, 2, 20, 2);
			assert_ok!(send(second.clone(), sign(&pair, &second)));
			let mut of_other = reading(&other, 1, 5, 4);
			of_other.record.subject = b"reefer-13".to_vec().try_into().unwrap();
			assert_ok!(send(of_other.clone(), sign(&other, &of_other)));
			assert_eq!(crate::ReadingsInBlock::<Test>::get(), (1, 3));
			// The fourth is left for the next block: in the pool still, not in this block.
			assert!(validity(&third, &pair).is_ok());
			assert_eq!(in_block(&third, &pair), Err(InvalidTransaction::ExhaustsResources.into()));
			assert_noop!(send(third.clone(), sign(&pair, &third)), Error::<Test>::TooManyReadings);
			System::set_block_number(2);
			assert_ok!(in_block(&third, &pair));
			assert_ok!(send(third.clone(), sign(&pair, &third)));
			assert_eq!(crate::ReadingsInBlock::<Test>::get(), (2, 1));
		});
	}

	/// A block checks a reading's signature once, in the call (whose weight pays for it): the
	/// block's pre-check runs only the cheap checks, so a forged reading an author puts in a
	/// block fails in the call and writes nothing; the pool refuses it outright.
	#[test]
	fn a_readings_signature_is_checked_once_in_a_block() {
		ExtBuilder::build_and_execute(|| {
			let pair = device_pair(7);
			register(&pair);
			let r = reading(&pair, 1, 10, 1);
			let forged = sign(&device_pair(9), &r);
			let call = crate::Call::submit_device_reading {
				reading: r.clone(),
				signature: forged.clone(),
			};
			assert!(Records::validate_unsigned(TransactionSource::External, &call).is_err());
			assert_ok!(Records::pre_dispatch(&call));
			assert_noop!(send(r.clone(), forged), Error::<Test>::BadSignature);
			assert_ok!(send(r.clone(), sign(&pair, &r)));
		});
	}

	/// Once a device's organization is suspended, its readings are refused, in the pool and in
	/// blocks; its managers' grants no longer hold, and the council retires the device.
	#[test]
	fn a_suspended_organizations_devices_stop_and_the_council_retires_them() {
		ExtBuilder::build_and_execute(|| {
			let pair = device_pair(7);
			register(&pair);
			Suspended::set(vec![ACME]);
			let r = reading(&pair, 1, 40, 1);
			assert!(validity(&r, &pair).is_err());
			assert_noop!(send(r.clone(), sign(&pair, &r)), Error::<Test>::OrganizationInactive);
			assert_noop!(
				Records::retire_device(signed(ACME_DEVICES), device_id(&pair)),
				Error::<Test>::NotPermitted
			);
			assert_noop!(
				Records::retire_device(signed(BOREALIS_ADMIN), device_id(&pair)),
				Error::<Test>::NotPermitted
			);
			assert_ok!(Records::retire_device(RuntimeOrigin::root(), device_id(&pair)));
			System::assert_last_event(Event::DeviceRetired { device: device_id(&pair) }.into());
			Suspended::set(vec![]);
			assert_noop!(send(r.clone(), sign(&pair, &r)), Error::<Test>::DeviceRetired);
		});
	}

	/// Registration proves possession of the device key, for the registering organization: a
	/// proof made for Acme is worthless to Borealis, and a key nobody proved is refused.
	#[test]
	fn registration_needs_the_device_keys_proof_for_the_callers_organization() {
		ExtBuilder::build_and_execute(|| {
			Grants::mutate(|g| g.push((account(6), Role::DeviceManager, BOREALIS, None)));
			let pair = device_pair(7);
			let metrics = || vec![TEMPERATURE].try_into().unwrap();
			// Borealis copies the proof Acme's manager is about to send.
			assert_noop!(
				Records::register_device(
					signed(6),
					device_id(&pair),
					metrics(),
					proof(&pair, ACME)
				),
				Error::<Test>::BadProofOfPossession
			);
			// Or signs with a key of its own for Acme's device id.
			let forged: MultiSignature = device_pair(8)
				.sign(&crate::registration_payload(
					System::block_hash(0).as_ref(),
					&device_id(&pair),
					BOREALIS,
				))
				.into();
			assert_noop!(
				Records::register_device(signed(6), device_id(&pair), metrics(), forged),
				Error::<Test>::BadProofOfPossession
			);
			register(&pair);
			assert_eq!(Devices::<Test>::get(device_id(&pair)).unwrap().organization, ACME);
		});
	}

	/// A device manager scoped to some metrics registers devices for those metrics only.
	#[test]
	fn a_scoped_device_manager_registers_devices_for_its_metrics_only() {
		ExtBuilder::build_and_execute(|| {
			MetricScopes::set(vec![(account(ACME_DEVICES), Role::DeviceManager, LEAD_TIME)]);
			let pair = device_pair(7);
			assert_noop!(
				Records::register_device(
					signed(ACME_DEVICES),
					device_id(&pair),
					vec![TEMPERATURE].try_into().unwrap(),
					proof(&pair, ACME)
				),
				Error::<Test>::NotPermitted
			);
			assert_ok!(Records::register_device(
				signed(ACME_DEVICES),
				device_id(&pair),
				vec![LEAD_TIME].try_into().unwrap(),
				proof(&pair, ACME)
			));
			// Nor does it retire devices of metrics beyond its scope.
			MetricScopes::set(vec![]);
			let other = device_pair(8);
			register(&other);
			MetricScopes::set(vec![(account(ACME_DEVICES), Role::DeviceManager, LEAD_TIME)]);
			assert_noop!(
				Records::retire_device(signed(ACME_DEVICES), device_id(&other)),
				Error::<Test>::NotPermitted
			);
			assert_ok!(Records::retire_device(signed(ACME_DEVICES), device_id(&pair)));
		});
	}

	/// Nobody corrects a device's reading: the value the device signed stays in the figures.
	#[test]
	fn a_device_reading_is_corrected_by_nobody() {
		ExtBuilder::build_and_execute(|| {
			let pair = device_pair(7);
			register(&pair);
			let r = reading(&pair, 1, 40, 1);
			assert_ok!(send(r.clone(), sign(&pair, &r)));
			let id = last_record();
			let reason: crate::ReasonOf<Test> = b"sensor glitch".to_vec().try_into().unwrap();
			// Even once the metric takes account records too.
			let (_, mut open) = Records::definition(TEMPERATURE).unwrap();
			open.device_only = false;
			assert_ok!(Records::revise_metric(signed(ACME_ADMIN), TEMPERATURE, open));
			for by in [ACME_REPORTER, ACME_DEVICES, ACME_ADMIN] {
				assert_noop!(
					Records::correct_record(
						signed(by),
						id,
						Value { amount: 10, scale: 1 },
						doc(9),
						reason.clone()
					),
					Error::<Test>::DeviceReadingNotCorrectable
				);
			}
			let figures = Records::aggregate_of(TEMPERATURE, b"reefer-12", 0, &[device_id(&pair)]);
			assert_eq!(figures.map(|a| (a.count, a.sum)), Some((1, 40)));
		});
	}
}

mod batches {
	use super::*;

	fn leaves(n: u32) -> Vec<H256> {
		(0..n).map(|i| H256(blake2_256(&(b"leaf", i).encode()))).collect()
	}

	#[test]
	fn an_anchored_batch_proves_its_records() {
		ExtBuilder::build_and_execute(|| {
			let leaves = leaves(7);
			let root = merkle::root(&leaves).unwrap();
			let uri: crate::UriOf<Test> = b"ipfs://batch".to_vec().try_into().unwrap();
			let anchor = |by: u8, n: u32, d: u32| {
				Records::anchor_batch(signed(by), LEAD_TIME, root, n, doc(d), uri.clone())
			};
			assert_noop!(anchor(ACME_ADMIN, 7, 1), Error::<Test>::NotPermitted);
			assert_noop!(anchor(STRANGER, 7, 1), Error::<Test>::NoOrganization);
			assert_noop!(anchor(ACME_REPORTER, 0, 1), Error::<Test>::EmptyBatch);
			assert_ok!(anchor(ACME_REPORTER, 7, 1));
			System::assert_last_event(
				Event::BatchAnchored { batch: 0, metric: LEAD_TIME, root, leaves: 7 }.into(),
			);
			assert_noop!(anchor(ACME_REPORTER, 7, 1), Error::<Test>::DuplicateDocument);
			assert_eq!(Batches::<Test>::get(0).unwrap().organization, ACME);
			let proof = merkle::proof(&leaves, 6).unwrap();
			assert!(Records::verify_inclusion(0, leaves[6], 6, proof.clone()));
			assert!(!Records::verify_inclusion(0, leaves[5], 6, proof.clone()));
			assert!(!Records::verify_inclusion(1, leaves[6], 6, proof));
		});
	}
}

mod aggregates {
	use super::*;

	#[test]
	fn aggregates_equal_a_recomputation_from_the_records() {
		ExtBuilder::build_and_execute(|| {
			// Three subjects over three days, values spread, and two corrections.
			let mut n = 0;
			for time in (0..3 * DAY).step_by((DAY / 4) as usize) {
				for subject in ["a", "b", "c"] {
					n += 1;
					let value = ((n * 7919) % 1_000) as i128;
					assert_ok!(submit(lead_time(subject, value, time, n)));
				}
			}
			let reason: crate::ReasonOf<Test> = b"recount".to_vec().try_into().unwrap();
			for (original, value) in [(4u64, 999), (10, 0)] {
				n += 1;
				assert_ok!(Records::correct_record(
					signed(ACME_REPORTER),
					original,
					Value { amount: value, scale: 2 },
					doc(n),
					reason.clone()
				));
			}

			// Recompute every (stream, period) from the records themselves.
			let mut expected: std::collections::BTreeMap<(H256, u64), Aggregate> =
				Default::default();
			let all: Vec<_> = crate::Records::<Test>::iter()
				.collect::<std::collections::BTreeMap<_, _>>()
				.into_iter()
				.collect();
			for (id, record) in &all {
				let key = (record.stream, record.time / DAY);
				let agg = expected.entry(key).or_insert(Aggregate {
					min: record.value,
					max: record.value,
					..Default::default()
				});
				agg.min = agg.min.min(record.value);
				agg.max = agg.max.max(record.value);
				if SupersededBy::<Test>::contains_key(id) {
					agg.superseded += 1;
				} else {
					agg.count += 1;
					agg.sum += record.value;
				}
			}
			let stored: std::collections::BTreeMap<_, _> =
				Aggregates::<Test>::iter().map(|(s, p, a)| ((s, p), a)).collect();
			assert_eq!(stored, expected);
			assert_eq!(stored.len(), 9);
			// Other pallets read the same figures through the trait.
			let key = (stream_id(ACME, LEAD_TIME, b"b"), 1);
			assert_eq!(Records::aggregate(ACME, LEAD_TIME, b"b", 1), Some(stored[&key]));
			assert_eq!(Records::period_of(LEAD_TIME, DAY + 5), Some(1));
			assert_eq!(Records::scale_of(LEAD_TIME), Some(2));
		});
	}

	#[test]
	fn figures_per_reporter_count_only_the_reporters_asked_for() {
		ExtBuilder::build_and_execute(|| {
			const OTHER: u8 = 6;
			Grants::mutate(|g| g.push((account(OTHER), Role::Reporter, ACME, None)));
			let by = |who: u8, value: i128, n: u32| {
				Records::submit_record(signed(who), lead_time("s", value, DAY + n as u64, n))
			};
			assert_ok!(by(ACME_REPORTER, 10, 1));
			assert_ok!(by(ACME_REPORTER, 20, 2));
			assert_ok!(by(OTHER, 30, 3));
			// Another reporter cannot take the first reporter's 20 out of its figures...
			let fix = |by: u8| {
				Records::correct_record(
					signed(by),
					1,
					Value { amount: 25, scale: 2 },
					doc(4),
					b"recount".to_vec().try_into().unwrap(),
				)
			};
			assert_noop!(fix(OTHER), Error::<Test>::NotOriginalReporter);
			// ...its own reporter corrects it to 25, in its own figures.
			assert_ok!(fix(ACME_REPORTER));
			let of = |who: &[u8]| {
				let reporters: Vec<_> = who.iter().map(|w| account(*w)).collect();
				Records::aggregate_of(LEAD_TIME, b"s", 1, &reporters).map(|a| (a.count, a.sum))
			};
			assert_eq!(of(&[ACME_REPORTER]), Some((2, 35)));
			assert_eq!(of(&[OTHER]), Some((1, 30)));
			let all = Records::aggregate(ACME, LEAD_TIME, b"s", 1).unwrap();
			assert_eq!(of(&[ACME_REPORTER, OTHER]), Some((all.count, all.sum)));
			assert_eq!((all.count, all.sum), (3, 65));
			assert_eq!(of(&[STRANGER]), None);
			assert_eq!(of(&[]), None);
		});
	}
}

mod organizations {
	use super::*;
	use crate::{topic_id, DocumentUse, Documents};

	/// A Borealis reporter's record of a Finnish lane, dated `time`, with document `document`.
	fn borealis(subject: &str, time: u64, document: u32) -> DispatchResult {
		let input =
			RecordInput { region: Some(Region(*b"FI")), ..lead_time(subject, 50, time, document) };
		Records::submit_record(signed(BOREALIS_REPORTER), input).map(|_| ()).map_err(|e| e.error)
	}

	#[test]
	fn an_organization_cannot_block_reorder_or_mix_into_another_organizations_stream() {
		ExtBuilder::build_and_execute(|| {
			let now = Now::get();
			// Borealis (the buyer) writes a record dated "now" about Acme's lane, and uses the
			// document hash of a delivery note Acme is about to import.
			assert_ok!(borealis("lane-1", now, 7));
			// Acme imports its earlier-dated records, the first with that same document hash:
			// none is refused.
			assert_ok!(submit(lead_time("lane-1", 120, now - 2 * HOUR, 7)));
			assert_ok!(submit(lead_time("lane-1", 130, now - HOUR, 8)));
			// Two streams, each an organization's own, hash-linked on their own.
			let (acme, other) =
				(stream_id(ACME, LEAD_TIME, b"lane-1"), stream_id(BOREALIS, LEAD_TIME, b"lane-1"));
			assert_ne!(acme, other);
			let acme_stream = Streams::<Test>::get(acme).unwrap();
			assert_eq!((acme_stream.organization, acme_stream.length), (ACME, 2));
			assert_eq!(
				Streams::<Test>::get(other).map(|s| (s.organization, s.length)),
				Some((BOREALIS, 1))
			);
			assert_eq!(Records::verify_stream(acme), Ok(2));
			assert_eq!(Records::verify_stream(other), Ok(1));
			assert!(Records::history(acme, None, 10).iter().all(|(_, r)| r.organization == ACME));
			// The figures of Acme's stream are Acme's records only.
			let period = (now - HOUR) / DAY;
			let figures = Records::aggregate(ACME, LEAD_TIME, b"lane-1", period).unwrap();
			assert_eq!((figures.count, figures.sum), (2, 250));
			// Each organization used document 7 once; neither may use it again.
			assert_eq!(Documents::<Test>::get(doc(7), ACME), Some(DocumentUse::Record(1)));
			assert_eq!(Documents::<Test>::get(doc(7), BOREALIS), Some(DocumentUse::Record(0)));
			assert_noop!(submit(lead_time("lane-2", 1, now, 7)), Error::<Test>::DuplicateDocument);
			assert_noop!(borealis("lane-2", now, 7), Error::<Test>::DuplicateDocument);
			// A batch anchored under a document hash blocks no other organization's record.
			let uri = b"ipfs://x".to_vec().try_into().unwrap();
			assert_ok!(Records::anchor_batch(
				signed(ACME_REPORTER),
				LEAD_TIME,
				H256::zero(),
				1,
				doc(9),
				uri
			));
			assert_ok!(borealis("lane-2", now, 9));
			// Within one organization's stream, time still only goes forward.
			assert_noop!(
				submit(lead_time("lane-1", 1, now - 3 * HOUR, 10)),
				Error::<Test>::TimeBeforeStreamHead
			);
			// The runtime API's id and the reporters' topic.
			assert_eq!(Records::stream_key(ACME, LEAD_TIME, b"lane-1"), acme);
			assert_ne!(topic_id(LEAD_TIME, b"lane-1"), acme);
		});
	}
}

mod migrations {
	use super::*;
	use crate::{
		migrations::v2::{v1, MigrateV1ToV2},
		topic_id, DocumentUse, Documents, Pallet, Record, ReporterAggregates, Submitter,
	};
	#[cfg(feature = "try-runtime")]
	use frame::deps::frame_support::traits::UncheckedOnRuntimeUpgrade;
	use frame::deps::frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

	/// Appends a record as version 1 of the pallet did: one stream per metric and subject,
	/// whatever the organization, and document hashes unique across the chain.
	fn v1_record(
		organization: u32,
		reporter: u8,
		subject: &[u8],
		value: i128,
		time: u64,
		document: u32,
	) {
		let topic = topic_id(LEAD_TIME, subject);
		let id = crate::NextRecordId::<Test>::get();
		crate::NextRecordId::<Test>::put(id + 1);
		let stream = v1::Streams::<Test>::get(topic);
		let record = Record {
			stream: topic,
			metric: LEAD_TIME,
			version: 1,
			organization,
			value,
			time,
			document: doc(document),
			region: None,
			parents: Default::default(),
			previous: stream.as_ref().map(|s| s.head),
			link: stream.as_ref().map_or(H256::zero(), |s| s.head_hash),
			submitter: Submitter::Account(account(reporter)),
			recorded_at: 1,
		};
		v1::Streams::<Test>::insert(
			topic,
			v1::Stream {
				metric: LEAD_TIME,
				subject: subject.to_vec().try_into().unwrap(),
				head: id,
				head_hash: record.hash(),
				length: stream.map_or(0, |s| s.length) + 1,
				last_time: time,
			},
		);
		v1::Documents::<Test>::insert(doc(document), DocumentUse::Record(id));
		Aggregates::<Test>::mutate(topic, time / DAY, |a| {
			let a = a.get_or_insert(Aggregate { min: value, max: value, ..Default::default() });
			(a.count, a.sum) = (a.count + 1, a.sum + value);
		});
		ReporterAggregates::<Test>::mutate((topic, time / DAY, account(reporter)), |a| {
			let a = a.get_or_insert(Aggregate { min: value, max: value, ..Default::default() });
			(a.count, a.sum) = (a.count + 1, a.sum + value);
		});
		crate::Records::<Test>::insert(id, record);
	}

	#[test]
	fn version_1_streams_become_their_organizations_and_keep_their_links() {
		ExtBuilder::build_and_execute(|| {
			StorageVersion::new(1).put::<Pallet<Test>>();
			let now = Now::get();
			v1_record(ACME, ACME_REPORTER, b"lane-1", 100, now - 3 * HOUR, 1);
			v1_record(ACME, ACME_REPORTER, b"lane-1", 110, now - 2 * HOUR, 2);
			// Borealis wrote into Acme's lane in version 1: the records stay where they are.
			v1_record(BOREALIS, BOREALIS_REPORTER, b"lane-1", 999, now - HOUR, 3);
			v1_record(ACME, ACME_REPORTER, b"lane-1", 120, now - HOUR, 4);
			v1_record(BOREALIS, BOREALIS_REPORTER, b"lane-9", 50, now - HOUR, 5);
			let topic = topic_id(LEAD_TIME, b"lane-1");

			#[cfg(feature = "try-runtime")]
			let state = crate::migrations::v2::StreamsOfOrganizations::<Test>::pre_upgrade().unwrap();
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			#[cfg(feature = "try-runtime")]
			crate::migrations::v2::StreamsOfOrganizations::<Test>::post_upgrade(state).unwrap();
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);

			// The stream keeps its id, records and links; it is Acme's (its head's).
			let stream = Streams::<Test>::get(topic).unwrap();
			assert_eq!((stream.organization, stream.length), (ACME, 4));
			assert_eq!(Records::verify_stream(topic), Ok(4));
			let lane_9 = Streams::<Test>::get(topic_id(LEAD_TIME, b"lane-9")).unwrap();
			assert_eq!(lane_9.organization, BOREALIS);
			// Every document use is under its organization.
			assert_eq!(Documents::<Test>::get(doc(3), BOREALIS), Some(DocumentUse::Record(2)));
			assert_eq!(Documents::<Test>::get(doc(4), ACME), Some(DocumentUse::Record(3)));
			assert_eq!(Documents::<Test>::iter().count(), 5);

			// Acme's next record continues its version 1 stream, linked to its head.
			assert_ok!(submit(lead_time("lane-1", 130, now, 6)));
			let head = Streams::<Test>::get(topic).unwrap();
			assert_eq!((head.head, head.length), (5, 5));
			assert_eq!(crate::Records::<Test>::get(5).unwrap().previous, Some(3));
			assert_eq!(Records::verify_stream(topic), Ok(5));
			// Borealis's next record of that lane goes to a stream of its own: it no longer
			// blocks Acme (its record is earlier than Acme's head).
			let input = RecordInput {
				region: Some(Region(*b"FI")),
				..lead_time("lane-1", 7, now - HOUR, 7)
			};
			assert_ok!(Records::submit_record(signed(BOREALIS_REPORTER), input));
			let own = stream_id(BOREALIS, LEAD_TIME, b"lane-1");
			assert_eq!(
				Streams::<Test>::get(own).map(|s| (s.organization, s.length)),
				Some((BOREALIS, 1))
			);
			// Borealis's version 1 stream of lane 9 is still where it writes.
			let input =
				RecordInput { region: Some(Region(*b"FI")), ..lead_time("lane-9", 7, now, 8) };
			assert_ok!(Records::submit_record(signed(BOREALIS_REPORTER), input));
			assert_eq!(Streams::<Test>::get(topic_id(LEAD_TIME, b"lane-9")).unwrap().length, 2);
			// A reporter's figures stay under the topic: Acme's reporter's two records of today.
			let figures =
				Records::aggregate_of(LEAD_TIME, b"lane-1", now / DAY, &[account(ACME_REPORTER)]);
			assert!(figures.is_some_and(|a| a.count >= 2));

			// Run again, the migration changes nothing (it is versioned).
			let root = frame::deps::sp_io::storage::root(frame::deps::sp_runtime::StateVersion::V1);
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(
				root,
				frame::deps::sp_io::storage::root(frame::deps::sp_runtime::StateVersion::V1)
			);
		});
	}
}
