//! Metrics: defining, revising and retiring a metric, checking a definition, and finding a
//! metric's current version.
//!
//! A metric's versions are never edited: a revision stores a new one ([`MetricVersions`]) and
//! moves the metric's head ([`Metrics`]) to it. Records are checked against the current version
//! of a live metric (`current_spec`); other pallets read a metric's definition, retired or not
//! (`definition`, through [`perfledger_primitives::PerformanceData`] in `aggregates.rs`).

use crate::*;
use perfledger_primitives::IdSequence;

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::define_metric`].
	pub(crate) fn do_define_metric(who: T::AccountId, spec: MetricSpecOf<T>) -> DispatchResult {
		let owner = T::Permissions::acting_for(&who, Action::Administer, Target::organization)
			.map_err(Error::<T>::from)?;
		Self::check_spec(&spec)?;
		let metric = NextMetricId::<T>::allocate().ok_or(Error::<T>::Overflow)?;
		Self::store_version(metric, owner, 1, spec);
		Self::deposit_event(Event::MetricDefined { metric, owner });
		Ok(())
	}

	/// The body of [`Pallet::revise_metric`].
	pub(crate) fn do_revise_metric(
		who: T::AccountId,
		metric: MetricId,
		spec: MetricSpecOf<T>,
	) -> DispatchResult {
		let head = Self::owned_metric(&who, metric)?;
		Self::check_spec(&spec)?;
		let (_, current) = Self::current_spec(metric)?;
		ensure!(
			spec.unit == current.unit
				&& spec.value_type == current.value_type
				&& spec.period_ms == current.period_ms,
			Error::<T>::IncompatibleRevision
		);
		let renamed_only = MetricSpec { name: current.name.clone(), ..spec.clone() } == current;
		ensure!(renamed_only || !T::MetricReliance::relied_on(metric), Error::<T>::MetricInUse);
		let version = head.version.checked_add(1).ok_or(Error::<T>::Overflow)?;
		Self::store_version(metric, head.owner, version, spec);
		Self::deposit_event(Event::MetricRevised { metric, version });
		Ok(())
	}

	/// The body of [`Pallet::retire_metric`].
	pub(crate) fn do_retire_metric(who: T::AccountId, metric: MetricId) -> DispatchResult {
		Self::owned_metric(&who, metric)?;
		ensure!(!T::MetricReliance::relied_on(metric), Error::<T>::MetricInUse);
		Metrics::<T>::mutate(metric, |head| {
			if let Some(head) = head {
				head.retired = true;
			}
		});
		Self::deposit_event(Event::MetricRetired { metric });
		Ok(())
	}

	/// Checks a metric definition.
	pub(crate) fn check_spec(spec: &MetricSpecOf<T>) -> DispatchResult {
		let printable = |b: &u8| b.is_ascii_graphic();
		ensure!(
			!spec.name.is_empty() && !spec.unit.is_empty() && spec.unit.iter().all(printable),
			Error::<T>::BadNameOrUnit
		);
		ensure!(spec.min <= spec.max, Error::<T>::BadRange);
		ensure!(spec.period_ms > 0, Error::<T>::BadPeriod);
		ensure!(!spec.reporters.is_empty(), Error::<T>::NoReporters);
		ensure!(spec.value_type.scale() <= 18, Error::<T>::BadScale);
		Ok(())
	}

	/// Stores version `version` of `metric`, owned by `owner`, as its current one.
	pub(crate) fn store_version(
		metric: MetricId,
		owner: OrganizationId,
		version: u32,
		spec: MetricSpecOf<T>,
	) {
		let defined_at = frame_system::Pallet::<T>::block_number();
		MetricVersions::<T>::insert(metric, version, MetricVersion { spec, defined_at });
		Metrics::<T>::insert(metric, MetricHead { owner, version, retired: false });
	}

	/// The metric's head, if `who` is a live admin of its owner and it is not retired.
	pub(crate) fn owned_metric(
		who: &T::AccountId,
		metric: MetricId,
	) -> Result<MetricHead, DispatchError> {
		let head = Metrics::<T>::get(metric).ok_or(Error::<T>::UnknownMetric)?;
		ensure!(
			T::Permissions::may(who, Action::Administer, &Target::organization(head.owner)),
			Error::<T>::NotMetricOwner
		);
		ensure!(!head.retired, Error::<T>::MetricRetired);
		Ok(head)
	}

	/// A metric's head and the current version of its definition, retired or not.
	pub(crate) fn definition(metric: MetricId) -> Option<(MetricHead, MetricSpecOf<T>)> {
		let head = Metrics::<T>::get(metric)?;
		let version = MetricVersions::<T>::get(metric, head.version)?;
		Some((head, version.spec))
	}

	/// The current version of a live metric's definition.
	pub(crate) fn current_spec(metric: MetricId) -> Result<(u32, MetricSpecOf<T>), DispatchError> {
		let (head, spec) = Self::definition(metric).ok_or(Error::<T>::UnknownMetric)?;
		ensure!(!head.retired, Error::<T>::MetricRetired);
		Ok((head.version, spec))
	}
}
