//! Records in the runtime: the presets' example metrics, a reporter's record through the
//! transaction pool, and a device's signed reading as an unsigned transaction past the gate.

use super::{account, ext_from_preset, permissions::signed};
use crate::AccountId;
use crate::{
	Executive, Permissions, Records, Runtime, RuntimeCall, RuntimeOrigin, System,
	UncheckedExtrinsic,
};
use frame_support::{assert_ok, traits::Get};
use pallet_records::{Reading, RecordInput, Submitter, Value};
use perfledger_primitives::Role;
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring::{Alice, AliceStash, Bob, Charlie, Eve, Ferdie};
use sp_runtime::{
	traits::IdentifyAccount,
	transaction_validity::{InvalidTransaction, TransactionSource},
	MultiSigner,
};

/// A delivery lead time of 42.50 h reported for Acme, its document hash made of `document`.
pub(crate) fn lead_time(
	document: u8,
) -> RecordInput<pallet_records::SubjectOf<Runtime>, pallet_records::ParentsOf<Runtime>> {
	RecordInput {
		metric: 0,
		subject: b"sscc:340123450000000017".to_vec().try_into().unwrap(),
		value: Value { amount: 4_250, scale: 2 },
		time: 0,
		document: H256::repeat_byte(document),
		region: None,
		parents: Default::default(),
	}
}

#[test]
fn the_presets_define_the_example_metrics() {
	ext_from_preset("development").execute_with(|| {
		let names: Vec<_> = (0..3)
			.map(|m| {
				let head = pallet_records::Metrics::<Runtime>::get(m).expect("metric defined");
				let version =
					pallet_records::MetricVersions::<Runtime>::get(m, head.version).unwrap();
				(head.owner, String::from_utf8(version.spec.name.into_inner()).unwrap())
			})
			.collect();
		assert_eq!(
			names,
			vec![
				(0, "Delivery lead time".into()),
				(1, "On-time deliveries".into()),
				(2, "Cold-chain temperature".into())
			]
		);
	});
}

#[test]
fn a_reporter_records_through_the_pool_and_a_stranger_cannot() {
	ext_from_preset("development").execute_with(|| {
		let submit =
			RuntimeCall::Records(pallet_records::Call::submit_record { input: lead_time(1) });
		let validate = |xt| {
			Executive::validate_transaction(TransactionSource::External, xt, System::parent_hash())
		};
		assert_eq!(
			validate(signed(Eve, submit.clone())),
			Err(InvalidTransaction::BadSigner.into())
		);
		assert!(validate(signed(AliceStash, submit.clone())).is_ok());
		assert_ok!(Executive::apply_extrinsic(signed(AliceStash, submit)).expect("valid"));
		let record = pallet_records::Records::<Runtime>::get(0).expect("recorded");
		assert_eq!(record.organization, 0);
		assert_eq!(record.submitter, Submitter::Account(account(AliceStash)));
	});
}

/// Coldline's admin makes Ferdie its device manager, who registers a thermometer with the
/// proof of possession of its key. Returns the key and the device id.
fn coldline_thermometer() -> (sp_core::sr25519::Pair, AccountId) {
	assert_ok!(Permissions::grant_role(
		RuntimeOrigin::signed(account(Charlie)),
		account(Ferdie),
		Role::DeviceManager,
		Default::default(),
		None
	));
	let thermometer = sp_core::sr25519::Pair::from_string("//Thermometer-7", None).unwrap();
	let device = MultiSigner::from(thermometer.public()).into_account();
	let proof = pallet_records::registration_payload(System::block_hash(0).as_ref(), &device, 2);
	assert_ok!(Records::register_device(
		RuntimeOrigin::signed(account(Ferdie)),
		device.clone(),
		vec![2].try_into().unwrap(),
		thermometer.sign(&proof).into()
	));
	(thermometer, device)
}

/// The thermometer's reading number `counter` (its time in ms), as an unsigned extrinsic.
fn reading(thermometer: &sp_core::sr25519::Pair, counter: u64) -> UncheckedExtrinsic {
	let reading = Reading {
		device: MultiSigner::from(thermometer.public()).into_account(),
		counter,
		record: RecordInput {
			metric: 2,
			subject: b"reefer-12".to_vec().try_into().unwrap(),
			value: Value { amount: -182, scale: 1 },
			time: counter,
			document: H256::from_low_u64_be(counter),
			region: None,
			parents: Default::default(),
		},
	};
	let payload = pallet_records::reading_payload(System::block_hash(0).as_ref(), &reading);
	UncheckedExtrinsic::new_bare(RuntimeCall::Records(
		pallet_records::Call::submit_device_reading {
			reading,
			signature: thermometer.sign(&payload).into(),
		},
	))
}

/// The pool's verdict, through the runtime API the node's transaction pool calls.
fn pool(xt: UncheckedExtrinsic) -> sp_runtime::transaction_validity::TransactionValidity {
	use sp_transaction_pool::runtime_api::runtime_decl_for_tagged_transaction_queue::TaggedTransactionQueueV3;
	<Runtime as TaggedTransactionQueueV3<crate::Block>>::validate_transaction(
		TransactionSource::External,
		xt,
		System::parent_hash(),
	)
}

/// A device cannot flood: its readings queue in counter order (a later one requires the tag
/// the one before provides), come after every signed transaction (a reporter's record and a
/// council vote), live sixteen blocks, and a block takes at most `MaxReadingsPerBlock`.
#[test]
fn device_readings_queue_like_nonces_behind_every_signed_transaction() {
	ext_from_preset("development").execute_with(|| {
		let (thermometer, _) = coldline_thermometer();
		let (first, second) =
			(pool(reading(&thermometer, 1)).unwrap(), pool(reading(&thermometer, 2)).unwrap());
		assert!(first.requires.is_empty());
		assert_eq!(second.requires, first.provides, "the second waits for the first");
		assert_eq!(first.longevity, 16);
		let record =
			RuntimeCall::Records(pallet_records::Call::submit_record { input: lead_time(1) });
		let signed_record = pool(signed(AliceStash, record)).unwrap();
		assert!(first.priority < signed_record.priority, "a record goes first");
		// Out of order in a block: refused, left in the pool.
		assert_eq!(
			Executive::apply_extrinsic(reading(&thermometer, 2)),
			Err(InvalidTransaction::Future.into())
		);
		assert_ok!(Executive::apply_extrinsic(reading(&thermometer, 1)).expect("valid"));
		// A full block leaves the next reading for the next block.
		let cap: u32 = <Runtime as pallet_records::Config>::MaxReadingsPerBlock::get();
		pallet_records::ReadingsInBlock::<Runtime>::put((System::block_number(), cap));
		assert_eq!(
			Executive::apply_extrinsic(reading(&thermometer, 2)),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		assert!(pool(reading(&thermometer, 2)).is_ok(), "still valid for the pool");
	});
}

/// Once Coldline is suspended its thermometer's readings are refused, and a council motion
/// retires the device (its own managers' grants no longer hold).
#[test]
fn a_suspended_organizations_device_is_refused_and_the_council_retires_it() {
	ext_from_preset("development").execute_with(|| {
		let (thermometer, device) = coldline_thermometer();
		let suspend = RuntimeCall::Permissions(pallet_permissions::Call::suspend_organization {
			organization: 2,
		});
		assert_eq!(super::council_motion(suspend, 2, &[Alice, Bob]), Some(true));
		assert!(pool(reading(&thermometer, 1)).is_err());
		assert!(
			Records::retire_device(RuntimeOrigin::signed(account(Ferdie)), device.clone()).is_err()
		);
		let retire =
			RuntimeCall::Records(pallet_records::Call::retire_device { device: device.clone() });
		assert_eq!(super::council_motion(retire, 2, &[Alice, Bob]), Some(true));
		assert!(pallet_records::Devices::<Runtime>::get(&device).is_some_and(|d| d.retired));
	});
}

#[test]
fn a_device_reading_is_an_unsigned_transaction_that_passes_the_gate() {
	ext_from_preset("development").execute_with(|| {
		let (thermometer, device) = coldline_thermometer();
		let xt = reading(&thermometer, 1);
		assert!(Executive::validate_transaction(
			TransactionSource::External,
			xt.clone(),
			System::parent_hash()
		)
		.is_ok());
		assert_ok!(Executive::apply_extrinsic(xt.clone()).expect("valid"));
		let record = pallet_records::Records::<Runtime>::get(0).expect("recorded");
		assert_eq!((record.organization, record.submitter), (2, Submitter::Device(device)));
		// The same reading again is a replay, refused at the pool.
		assert!(Executive::validate_transaction(
			TransactionSource::External,
			xt,
			System::parent_hash()
		)
		.is_err());
	});
}
