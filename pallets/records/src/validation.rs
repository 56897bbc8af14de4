//! How a record is validated: every rule a record must meet before the chain takes it, for each
//! way a record comes in. Nothing here writes: the calls write only once these checks passed.
//!
//! ## The checks, in the order they run
//!
//! **A record from an account** ([`Pallet::submit_record`], `Pallet::do_submit_record` in
//! `streams.rs`):
//! 1. The caller acts for an organization (`NoOrganization`).
//! 2. The metric exists and is not retired (`UnknownMetric`, `MetricRetired`:
//!    `Pallet::current_spec`, in `metrics.rs`).
//! 3. The metric takes records from accounts (`DeviceOnly`).
//! 4. The caller holds one of the metric's reporting roles for the organization, the metric and
//!    the record's region (`NotPermitted`: [`Pallet::record_target`], [`Pallet::may_report`]).
//! 5. The content ([`Pallet::check_record`]): the value is at the metric's scale, then within
//!    its range (`WrongScale`, `ValueOutOfRange`: [`Pallet::check_value`], [`value_fits`]);
//!    its time is at most [`Config::MaxFutureDrift`] past the chain's clock (`TimeInFuture`)
//!    and not before the time of the organization's stream's last record
//!    (`TimeBeforeStreamHead`); the organization has not used its document
//!    (`DuplicateDocument`: [`Pallet::document_used`]); its parents exist (`UnknownParent`).
//!
//! **A device reading** ([`Pallet::submit_device_reading`], [`Pallet::check_reading`]):
//! 1. The device is registered, not retired, of an active organization and registered for the
//!    metric, and the reading's counter is above the device's last ([`Pallet::reading_place`]:
//!    `UnknownDevice`, `DeviceRetired`, `OrganizationInactive`, `DeviceNotForMetric`,
//!    `StaleCounter`).
//! 2. The device's signature over [`reading_payload`] verifies (`BadSignature`).
//! 3. The metric is live (`UnknownMetric`, `MetricRetired`), then the content as in step 5
//!    above, for the device's organization.
//!
//! A device's counters run like an account's nonces: the reading whose counter is the device's
//! last + 1 is ready; one with a later counter waits (in the pool it requires the one before it;
//! a block refuses it with `CounterNotNext`). How many readings a block takes is counted in
//! `devices.rs` (`TooManyReadings`).
//!
//! **A correction** ([`Pallet::correct_record`], [`Pallet::check_correction`]): the original
//! exists and is not superseded, its metric is live, it is no device's reading, its metric takes
//! records from accounts, the caller submitted it and still holds a reporting role for it, the
//! new value fits, and the organization has not used the new document. A correction keeps the
//! original's time and parents, so the time, the stream order and the parents are not checked
//! again.
//!
//! **A batch** ([`Pallet::anchor_batch`], in `batches.rs`): the caller acts for an
//! organization, the metric is live, the caller holds one of its reporting roles for the
//! organization and the metric, the batch has at least one leaf (`EmptyBatch`), and the
//! organization has not used its document.
//!
//! ## The client's copy of these rules
//!
//! The command-line client checks every row with the same rules before it sends anything, so
//! that a bad row is reported by line and field and never sent. A rule changed here changes
//! there too:
//! - `client/src/validate.rs`, `entry`: the metric is known and not retired, the subject fits
//!   `MaxSubjectLength`, the value is a decimal at the metric's scale (`parse_decimal`) and
//!   within its range, the time is not past the chain's clock plus drift, and a device-only
//!   metric's rows carry device fields.
//! - `client/src/ingest/checking.rs`, `check_record`: the organization has not used the
//!   document already, and the row's time is not before its stream's last record.
//! - `client/src/ledger.rs`, `limits`: `MaxSubjectLength` and `MaxFutureDrift`, read from the
//!   chain.

use crate::*;

/// What [`Pallet::check_reading`] found: the metric's version and definition, the device's
/// organization and its stream of the reading, and whether the reading waits for earlier ones
/// (its counter is above the device's last + 1).
pub(crate) struct CheckedReading<Spec> {
	pub(crate) version: u32,
	pub(crate) spec: Spec,
	pub(crate) organization: OrganizationId,
	pub(crate) stream: StreamId,
	pub(crate) waits: bool,
}

/// What [`Pallet::check_correction`] found: the correcting record's input (the original's
/// metric, subject, time, region and parents with the new value and document), the
/// organization's stream it goes to, the metric's current version and definition, and the
/// original's organization.
pub(crate) struct CheckedCorrection<T: Config> {
	pub(crate) input: RecordInputOf<T>,
	pub(crate) stream: StreamId,
	pub(crate) version: u32,
	pub(crate) spec: MetricSpecOf<T>,
	pub(crate) organization: OrganizationId,
}

/// Why a value does not fit a metric ([`value_fits`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ValueFault {
	/// The value's scale is not the metric's (`WrongScale`).
	WrongScale,
	/// The value is outside the metric's range (`ValueOutOfRange`).
	OutOfRange,
}

/// Whether `value` fits a metric of scale `scale` and range `min..=max`: its scale first (a
/// value is never rescaled), then its range, both ends included.
pub fn value_fits(scale: u8, min: i128, max: i128, value: &Value) -> Result<(), ValueFault> {
	if value.scale != scale {
		return Err(ValueFault::WrongScale);
	}
	if !(min..=max).contains(&value.amount) {
		return Err(ValueFault::OutOfRange);
	}
	Ok(())
}

impl<T: Config> Pallet<T> {
	/// What a record of `organization` is about, for the permission check: its metric and
	/// region.
	pub(crate) fn record_target(organization: OrganizationId, input: &RecordInputOf<T>) -> Target {
		let target = Target::organization(organization).metric(input.metric);
		Target { region: input.region, ..target }
	}

	/// Whether `who` holds one of the metric's reporting roles for `target`.
	pub(crate) fn may_report(who: &T::AccountId, spec: &MetricSpecOf<T>, target: &Target) -> bool {
		spec.reporters.iter().any(|role| T::Permissions::has_role(who, *role, target))
	}

	/// Checks a value against the metric: scale, then range ([`value_fits`]).
	pub(crate) fn check_value(spec: &MetricSpecOf<T>, value: &Value) -> DispatchResult {
		match value_fits(spec.value_type.scale(), spec.min, spec.max, value) {
			Ok(()) => Ok(()),
			Err(ValueFault::WrongScale) => Err(Error::<T>::WrongScale.into()),
			Err(ValueFault::OutOfRange) => Err(Error::<T>::ValueOutOfRange.into()),
		}
	}

	/// Whether `organization` already used `document` (for a record or a batch). An
	/// organization uses a document hash once; another organization's use does not count.
	pub(crate) fn document_used(document: H256, organization: OrganizationId) -> bool {
		Documents::<T>::contains_key(document, organization)
	}

	/// Every check of a new record's content for `organization`, without writing. Returns the
	/// organization's stream the record goes to ([`Pallet::stream_key`]).
	pub(crate) fn check_record(
		organization: OrganizationId,
		spec: &MetricSpecOf<T>,
		input: &RecordInputOf<T>,
	) -> Result<StreamId, DispatchError> {
		Self::check_value(spec, &input.value)?;
		let now = T::Clock::now().as_millis() as u64;
		ensure!(
			input.time <= now.saturating_add(T::MaxFutureDrift::get()),
			Error::<T>::TimeInFuture
		);
		let key = Self::stream_key(organization, input.metric, &input.subject);
		if let Some(stream) = Streams::<T>::get(key) {
			ensure!(input.time >= stream.last_time, Error::<T>::TimeBeforeStreamHead);
		}
		ensure!(!Self::document_used(input.document, organization), Error::<T>::DuplicateDocument);
		ensure!(
			input.parents.iter().all(|p| Records::<T>::contains_key(p)),
			Error::<T>::UnknownParent
		);
		Ok(key)
	}

	/// Every check of a device reading, without writing, but its counter's place: a counter
	/// above the device's last + 1 is accepted here and reported as `waits`.
	pub(crate) fn check_reading(
		reading: &ReadingOf<T>,
		signature: &T::Signature,
	) -> Result<CheckedReading<MetricSpecOf<T>>, DispatchError> {
		let (organization, waits) = Self::reading_place(reading)?;
		let payload = reading_payload(Self::genesis().as_ref(), reading);
		ensure!(signature.verify(&payload[..], &reading.device), Error::<T>::BadSignature);
		let (version, spec) = Self::current_spec(reading.record.metric)?;
		let stream = Self::check_record(organization, &spec, &reading.record)?;
		Ok(CheckedReading { version, spec, organization, stream, waits })
	}

	/// The cheap checks of a device reading (no signature, no record): the device is known,
	/// not retired, of an active organization and registered for the metric, and the counter
	/// is above its last. Returns the device's organization and whether the reading waits for
	/// earlier ones (its counter is above the last + 1).
	pub(crate) fn reading_place(
		reading: &ReadingOf<T>,
	) -> Result<(OrganizationId, bool), DispatchError> {
		let device = Devices::<T>::get(&reading.device).ok_or(Error::<T>::UnknownDevice)?;
		ensure!(!device.retired, Error::<T>::DeviceRetired);
		ensure!(T::Permissions::is_active(device.organization), Error::<T>::OrganizationInactive);
		ensure!(device.metrics.contains(&reading.record.metric), Error::<T>::DeviceNotForMetric);
		ensure!(reading.counter > device.counter, Error::<T>::StaleCounter);
		Ok((device.organization, reading.counter > device.counter.saturating_add(1)))
	}

	/// Every check of `who`'s correction of record `original` to `value` with `document`,
	/// without writing, in this order: the original exists (`UnknownRecord`) and is not
	/// superseded (`AlreadySuperseded`), and so does its stream (`UnknownRecord`); its metric
	/// is live (`UnknownMetric`, `MetricRetired`); it is no device's reading
	/// (`DeviceReadingNotCorrectable`); its metric takes records from accounts (`DeviceOnly`);
	/// `who` submitted it (`NotOriginalReporter`) and holds one of the metric's reporting roles
	/// for the original's organization, metric and region (`NotPermitted`); the value fits
	/// (`WrongScale`, `ValueOutOfRange`); the original's organization has not used `document`
	/// (`DuplicateDocument`).
	///
	/// A correction keeps the original's time and parents (and its subject, region and
	/// organization), which were checked when the original was accepted: `TimeInFuture`, the
	/// stream order (`TimeBeforeStreamHead`) and the parents (`UnknownParent`) are not checked
	/// again.
	pub(crate) fn check_correction(
		who: &T::AccountId,
		original: RecordId,
		value: &Value,
		document: H256,
	) -> Result<CheckedCorrection<T>, DispatchError> {
		let old = Records::<T>::get(original).ok_or(Error::<T>::UnknownRecord)?;
		let Submitter::Account(reporter) = &old.submitter else {
			return Err(Error::<T>::DeviceReadingNotCorrectable.into());
		};
		ensure!(reporter == who, Error::<T>::NotOriginalReporter);
		ensure!(!SupersededBy::<T>::contains_key(original), Error::<T>::AlreadySuperseded);
		let stream = Streams::<T>::get(old.stream).ok_or(Error::<T>::UnknownRecord)?;
		let (version, spec) = Self::current_spec(old.metric)?;
		let input = RecordInput {
			metric: old.metric,
			subject: stream.subject,
			value: *value,
			time: old.time,
			document,
			region: old.region,
			parents: old.parents.clone(),
		};
		let target = Self::record_target(old.organization, &input);
		ensure!(Self::may_report(who, &spec, &target), Error::<T>::NotPermitted);
		ensure!(!spec.device_only, Error::<T>::DeviceOnly);
		Self::check_value(&spec, value)?;
		ensure!(!Self::document_used(document, old.organization), Error::<T>::DuplicateDocument);
		let stream = Self::stream_key(old.organization, old.metric, &input.subject);
		Ok(CheckedCorrection { input, stream, version, spec, organization: old.organization })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_value_fits_at_the_metrics_scale_within_its_range() {
		// (metric's scale, min, max, the value's amount and scale, what `value_fits` says)
		let cases: &[(u8, i128, i128, i128, u8, Result<(), ValueFault>)] = &[
			(2, 0, 10_000, 2_150, 2, Ok(())),
			(2, 0, 10_000, 0, 2, Ok(())),
			(2, 0, 10_000, 10_000, 2, Ok(())),
			(2, 0, 10_000, 10_001, 2, Err(ValueFault::OutOfRange)),
			(2, 0, 10_000, -1, 2, Err(ValueFault::OutOfRange)),
			// 21.5 at scale 1 is not rescaled to 21.50.
			(2, 0, 10_000, 215, 1, Err(ValueFault::WrongScale)),
			// The scale is checked before the range.
			(0, 0, 100, 1_000, 2, Err(ValueFault::WrongScale)),
			(0, -40, -10, -25, 0, Ok(())),
			(0, i128::MIN, i128::MAX, i128::MIN, 0, Ok(())),
			(18, 0, 0, 0, 18, Ok(())),
		];
		for (i, &(scale, min, max, amount, value_scale, expected)) in cases.iter().enumerate() {
			let value = Value { amount, scale: value_scale };
			assert_eq!(value_fits(scale, min, max, &value), expected, "case {i}");
		}
	}
}
