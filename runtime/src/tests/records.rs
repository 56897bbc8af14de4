//! Records in the runtime: the presets' example metrics, a reporter's record through the
//! transaction pool, and a device's signed reading as an unsigned transaction past the gate.

use super::{account, ext_from_preset, permissions::signed};
use crate::{
	Executive, Permissions, Records, Runtime, RuntimeCall, RuntimeOrigin, System,
	UncheckedExtrinsic,
};
use frame_support::assert_ok;
use pallet_records::{Reading, RecordInput, Submitter, Value};
use perfledger_primitives::Role;
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring::{AliceStash, Charlie, Eve, Ferdie};
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

#[test]
fn a_device_reading_is_an_unsigned_transaction_that_passes_the_gate() {
	ext_from_preset("development").execute_with(|| {
		// Coldline's admin makes Ferdie its device manager, who registers a thermometer.
		assert_ok!(Permissions::grant_role(
			RuntimeOrigin::signed(account(Charlie)),
			account(Ferdie),
			Role::DeviceManager,
			Default::default(),
			None
		));
		let thermometer = sp_core::sr25519::Pair::from_string("//Thermometer-7", None).unwrap();
		let device = MultiSigner::from(thermometer.public()).into_account();
		assert_ok!(Records::register_device(
			RuntimeOrigin::signed(account(Ferdie)),
			device.clone(),
			vec![2].try_into().unwrap()
		));
		let reading = Reading {
			device: device.clone(),
			counter: 1,
			record: RecordInput {
				metric: 2,
				subject: b"reefer-12".to_vec().try_into().unwrap(),
				value: Value { amount: -182, scale: 1 },
				time: 0,
				document: H256::repeat_byte(9),
				region: None,
				parents: Default::default(),
			},
		};
		let payload = pallet_records::reading_payload(System::block_hash(0).as_ref(), &reading);
		let call = RuntimeCall::Records(pallet_records::Call::submit_device_reading {
			reading,
			signature: thermometer.sign(&payload).into(),
		});
		let xt = UncheckedExtrinsic::new_bare(call);
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
