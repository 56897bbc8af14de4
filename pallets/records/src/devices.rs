//! Devices: registering and retiring a signing device, and taking its signed readings.
//!
//! A device is a key an organization's device manager registers for some metrics, with the
//! key's proof of possession over [`registration_payload`]. It signs readings over
//! [`reading_payload`], which cover the chain's genesis hash (`Pallet::genesis`: no replay on
//! another chain). A reading is an unsigned transaction: the pool asks `validate_unsigned` (in
//! `lib.rs`), the checks themselves are `Pallet::check_reading` in `validation.rs`. This file
//! holds the bookkeeping: the device's last counter and how many readings the block took
//! ([`ReadingsInBlock`], at most [`Config::MaxReadingsPerBlock`]).

use crate::*;

/// A pallet error as the pool reports it: `Custom` with the error's index.
pub(crate) fn invalid(error: DispatchError) -> TransactionValidityError {
	let code = match error {
		DispatchError::Module(m) => m.error[0],
		_ => u8::MAX,
	};
	TransactionValidityError::Invalid(InvalidTransaction::Custom(code))
}

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::register_device`].
	pub(crate) fn do_register_device(
		who: T::AccountId,
		device: T::AccountId,
		metrics: DeviceMetricsOf<T>,
		proof: T::Signature,
	) -> DispatchResult {
		let organization =
			T::Permissions::organization_of(&who).ok_or(Error::<T>::NoOrganization)?;
		ensure!(Self::manages(&who, organization, &metrics), Error::<T>::NotPermitted);
		ensure!(!metrics.is_empty(), Error::<T>::NoDeviceMetrics);
		for metric in &metrics {
			Self::current_spec(*metric)?;
		}
		ensure!(!Devices::<T>::contains_key(&device), Error::<T>::DeviceExists);
		let payload = registration_payload(Self::genesis().as_ref(), &device, organization);
		ensure!(proof.verify(&payload[..], &device), Error::<T>::BadProofOfPossession);
		Devices::<T>::insert(&device, Device { organization, metrics, counter: 0, retired: false });
		Self::deposit_event(Event::DeviceRegistered { device, organization });
		Ok(())
	}

	/// The body of [`Pallet::retire_device`]: `manager` is the signer, `None` for
	/// `ForceOrigin`.
	pub(crate) fn do_retire_device(
		manager: Option<T::AccountId>,
		device: T::AccountId,
	) -> DispatchResult {
		let mut info = Devices::<T>::get(&device).ok_or(Error::<T>::UnknownDevice)?;
		if let Some(who) = manager {
			ensure!(
				Self::manages(&who, info.organization, &info.metrics),
				Error::<T>::NotPermitted
			);
		}
		ensure!(!info.retired, Error::<T>::DeviceRetired);
		info.retired = true;
		Devices::<T>::insert(&device, info);
		Self::deposit_event(Event::DeviceRetired { device });
		Ok(())
	}

	/// The body of [`Pallet::submit_device_reading`]: the checks (`Pallet::check_reading`),
	/// the reading must be the device's next and the block must have room, then the
	/// bookkeeping (the block's count, the device's counter) and the append.
	pub(crate) fn do_submit_device_reading(
		reading: ReadingOf<T>,
		signature: T::Signature,
	) -> Result<Weight, DispatchError> {
		let checked = Self::check_reading(&reading, &signature)?;
		ensure!(!checked.waits, Error::<T>::CounterNotNext);
		let (block, count) = Self::readings_in_block();
		ensure!(count < T::MaxReadingsPerBlock::get(), Error::<T>::TooManyReadings);
		ReadingsInBlock::<T>::put((block, count.saturating_add(1)));
		Devices::<T>::mutate(&reading.device, |device| {
			if let Some(device) = device {
				device.counter = reading.counter;
			}
		});
		Self::append(
			reading.record,
			checked.stream,
			checked.version,
			&checked.spec,
			checked.organization,
			Submitter::Device(reading.device),
			None,
		)
	}

	/// Whether `who` manages devices of `organization` for every one of `metrics`: a live device
	/// manager whose grant covers each (a manager scoped to some metrics covers those only).
	pub(crate) fn manages(
		who: &T::AccountId,
		organization: OrganizationId,
		metrics: &[MetricId],
	) -> bool {
		metrics.iter().all(|metric| {
			let target = Target::organization(organization).metric(*metric);
			T::Permissions::may(who, Action::ManageDevices, &target)
		})
	}

	/// The chain's genesis hash, which device signatures cover (no replay on another chain).
	pub(crate) fn genesis() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// The current block and how many device readings it has included.
	pub(crate) fn readings_in_block() -> (BlockNumberFor<T>, u32) {
		let now = frame_system::Pallet::<T>::block_number();
		match ReadingsInBlock::<T>::get() {
			(block, count) if block == now => (now, count),
			_ => (now, 0),
		}
	}
}
