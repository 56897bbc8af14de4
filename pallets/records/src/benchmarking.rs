//! Benchmarks of records (frame-benchmarking v2), each at its worst case: the longest names,
//! subjects and reasons, the most parents and metrics, an existing stream, an ecdsa device
//! (the costliest signature to verify).

use super::*;
use frame::{
	benchmarking::prelude::*,
	deps::{
		sp_core::{crypto::KeyTypeId, ecdsa},
		sp_io,
		sp_runtime::{AccountId32, MultiSignature, MultiSigner},
	},
};
use perfledger_primitives::{Region, Role};

const KEY_TYPE: KeyTypeId = KeyTypeId(*b"pfdv");

fn bytes<S: Get<u32>>(byte: u8) -> BoundedVec<u8, S> {
	alloc::vec![byte; S::get() as usize].try_into().expect("exact length")
}

fn spec<T: Config>() -> MetricSpecOf<T> {
	MetricSpec {
		name: bytes::<T::MaxNameLength>(b'n'),
		unit: bytes::<T::MaxUnitLength>(b'u'),
		value_type: ValueType::Decimal { scale: 2 },
		min: i128::MIN,
		max: i128::MAX,
		period_ms: 86_400_000,
		reporters: Role::ALL.to_vec().try_into().expect("one of each role"),
		device_only: false,
	}
}

/// A metric defined by a new admin; returns the admin and the metric.
fn metric<T: Config>() -> Result<(T::AccountId, MetricId), BenchmarkError> {
	let admin: T::AccountId = account("admin", 0, 0);
	T::BenchmarkHelper::grant(&admin, Role::OrganizationAdmin);
	let id = NextMetricId::<T>::get();
	Pallet::<T>::define_metric(RawOrigin::Signed(admin.clone()).into(), spec::<T>())?;
	Ok((admin, id))
}

fn document(i: u32) -> H256 {
	H256(blake2_256(&(b"document", i).encode()))
}

fn input<T: Config>(metric: MetricId, i: u32, parents: ParentsOf<T>) -> RecordInputOf<T> {
	RecordInput {
		metric,
		subject: bytes::<T::MaxSubjectLength>(b's'),
		value: Value { amount: 1, scale: 2 },
		time: 0,
		document: document(i),
		region: Some(Region(*b"DE")),
		parents,
	}
}

/// A reporter with a stream of `n` records of `metric`; returns the reporter.
fn reporter_with_records<T: Config>(
	metric: MetricId,
	n: u32,
) -> Result<T::AccountId, BenchmarkError> {
	let reporter: T::AccountId = account("reporter", 0, 0);
	T::BenchmarkHelper::grant(&reporter, Role::Reporter);
	for i in 0..n {
		let origin = RawOrigin::Signed(reporter.clone()).into();
		Pallet::<T>::submit_record(origin, input::<T>(metric, i, Default::default()))?;
	}
	Ok(reporter)
}

/// A device manager of the benchmark organization.
fn manager<T: Config>() -> T::AccountId {
	let manager: T::AccountId = account("manager", 0, 0);
	T::BenchmarkHelper::grant(&manager, Role::DeviceManager);
	manager
}

/// A new ecdsa key in the keystore and its device id.
fn device_key<T: Config>() -> (ecdsa::Public, T::AccountId)
where
	T::AccountId: From<AccountId32>,
{
	let key: ecdsa::Public = sp_io::crypto::ecdsa_generate(KEY_TYPE, None);
	(key, MultiSigner::from(key).into_account().into())
}

/// `payload` signed by `key`.
fn sign<T: Config>(key: &ecdsa::Public, payload: &[u8]) -> Result<T::Signature, BenchmarkError>
where
	T::Signature: From<MultiSignature>,
{
	let signature = sp_io::crypto::ecdsa_sign(KEY_TYPE, key, payload)
		.ok_or(BenchmarkError::Stop("the keystore cannot sign"))?;
	Ok(MultiSignature::from(signature).into())
}

/// The device key's proof of possession for `manager`'s organization.
fn possession<T: Config>(
	key: &ecdsa::Public,
	device: &T::AccountId,
	manager: &T::AccountId,
) -> Result<T::Signature, BenchmarkError>
where
	T::Signature: From<MultiSignature>,
{
	let organization = T::Permissions::organization_of(manager)
		.ok_or(BenchmarkError::Stop("the manager acts for no organization"))?;
	let payload = registration_payload(Pallet::<T>::genesis().as_ref(), device, organization);
	sign::<T>(key, &payload)
}

/// An ecdsa device registered by `manager` for `metric`: its key and id.
fn registered_device<T: Config>(
	manager: &T::AccountId,
	metric: MetricId,
) -> Result<(ecdsa::Public, T::AccountId), BenchmarkError>
where
	T::AccountId: From<AccountId32>,
	T::Signature: From<MultiSignature>,
{
	let (key, device) = device_key::<T>();
	let metrics: DeviceMetricsOf<T> = alloc::vec![metric].try_into().expect("bounded");
	let proof = possession::<T>(&key, &device, manager)?;
	Pallet::<T>::register_device(
		RawOrigin::Signed(manager.clone()).into(),
		device.clone(),
		metrics,
		proof,
	)?;
	Ok((key, device))
}

#[benchmarks(where T::Signature: From<MultiSignature>, T::AccountId: From<AccountId32>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn define_metric() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = account("admin", 0, 0);
		T::BenchmarkHelper::grant(&admin, Role::OrganizationAdmin);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), spec::<T>());
		assert!(Metrics::<T>::contains_key(NextMetricId::<T>::get() - 1));
		Ok(())
	}

	/// A revision beyond a rename (a narrower range), which asks whether an agreement relies on
	/// the metric.
	#[benchmark]
	fn revise_metric() -> Result<(), BenchmarkError> {
		let (admin, metric) = metric::<T>()?;
		let narrower = MetricSpec { max: i128::MAX - 1, ..spec::<T>() };
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), metric, narrower);
		assert_eq!(Metrics::<T>::get(metric).map(|h| h.version), Some(2));
		Ok(())
	}

	#[benchmark]
	fn retire_metric() -> Result<(), BenchmarkError> {
		let (admin, metric) = metric::<T>()?;
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), metric);
		assert!(Metrics::<T>::get(metric).is_some_and(|h| h.retired));
		Ok(())
	}

	/// `p` parents, onto an existing stream.
	#[benchmark]
	fn submit_record(p: Linear<0, { T::MaxParents::get() }>) -> Result<(), BenchmarkError> {
		let (_, metric) = metric::<T>()?;
		let count = p.max(1);
		let reporter = reporter_with_records::<T>(metric, count)?;
		let first = NextRecordId::<T>::get() - count as u64;
		let parents: ParentsOf<T> =
			(0..p as u64).map(|i| first + i).collect::<Vec<_>>().try_into().expect("bounded");
		let record = input::<T>(metric, count, parents);
		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), record);
		assert!(Documents::<T>::iter_prefix(document(count)).next().is_some());
		Ok(())
	}

	#[benchmark]
	fn correct_record() -> Result<(), BenchmarkError> {
		let (_, metric) = metric::<T>()?;
		let reporter = reporter_with_records::<T>(metric, 1)?;
		let original = NextRecordId::<T>::get() - 1;
		let value = Value { amount: 2, scale: 2 };
		#[extrinsic_call]
		_(
			RawOrigin::Signed(reporter),
			original,
			value,
			document(1),
			bytes::<T::MaxReasonLength>(b'r'),
		);
		assert!(SupersededBy::<T>::contains_key(original));
		Ok(())
	}

	/// A device with `m` metrics, its proof of possession made by an ecdsa key (the costliest
	/// to verify); the manager's grant is checked once per metric.
	#[benchmark]
	fn register_device(m: Linear<1, { T::MaxDeviceMetrics::get() }>) -> Result<(), BenchmarkError> {
		let (_, metric) = metric::<T>()?;
		let manager = manager::<T>();
		let (key, device) = device_key::<T>();
		let metrics: DeviceMetricsOf<T> =
			alloc::vec![metric; m as usize].try_into().expect("bounded");
		let proof = possession::<T>(&key, &device, &manager)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(manager), device.clone(), metrics, proof);
		assert!(Devices::<T>::contains_key(&device));
		Ok(())
	}

	#[benchmark]
	fn retire_device() -> Result<(), BenchmarkError> {
		let (_, metric) = metric::<T>()?;
		let manager = manager::<T>();
		let device = registered_device::<T>(&manager, metric)?.1;
		#[extrinsic_call]
		_(RawOrigin::Signed(manager), device.clone());
		assert!(Devices::<T>::get(&device).is_some_and(|d| d.retired));
		Ok(())
	}

	/// An ecdsa device's reading with `p` parents, onto an existing stream.
	#[benchmark]
	fn submit_device_reading(p: Linear<0, { T::MaxParents::get() }>) -> Result<(), BenchmarkError> {
		let (_, metric) = metric::<T>()?;
		let count = p.max(1);
		reporter_with_records::<T>(metric, count)?;
		let first = NextRecordId::<T>::get() - count as u64;
		let parents: ParentsOf<T> =
			(0..p as u64).map(|i| first + i).collect::<Vec<_>>().try_into().expect("bounded");
		let manager = manager::<T>();
		let (key, device) = registered_device::<T>(&manager, metric)?;
		let reading = Reading {
			device: device.clone(),
			counter: 1,
			record: input::<T>(metric, count, parents),
		};
		let payload = reading_payload(Pallet::<T>::genesis().as_ref(), &reading);
		let signature = sign::<T>(&key, &payload)?;
		#[extrinsic_call]
		_(RawOrigin::None, reading, signature);
		assert_eq!(Devices::<T>::get(&device).map(|d| d.counter), Some(1));
		Ok(())
	}

	#[benchmark]
	fn anchor_batch() -> Result<(), BenchmarkError> {
		let (_, metric) = metric::<T>()?;
		let reporter = reporter_with_records::<T>(metric, 0)?;
		#[extrinsic_call]
		_(
			RawOrigin::Signed(reporter),
			metric,
			H256::repeat_byte(1),
			1_000_000,
			document(0),
			bytes::<T::MaxUriLength>(b'u'),
		);
		assert!(Batches::<T>::contains_key(0));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::build(), crate::mock::Test);
}
