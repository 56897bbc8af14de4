//! Aggregates: the running figures (count, sum, min and max; [`Aggregate`]) of every stream and
//! reporting period ([`Aggregates`]), and of every topic, reporting period and reporter
//! ([`ReporterAggregates`]), updated at constant cost on every record, and what other pallets
//! read of them ([`PerformanceData`]).
//!
//! A record's reporting period is its time divided by the metric's `period_ms`. A correction
//! replaces the value it supersedes: the count stays, the sum moves by the difference, and
//! `superseded` counts the replaced value; `min` and `max` are never recomputed, so they keep
//! the replaced value (see [`Aggregate`]).

use crate::*;

/// Adds `value` to a period's figures; a correction replaces the value it supersedes
/// (`replaced`).
pub(crate) fn fold(slot: &mut Option<Aggregate>, value: i128, replaced: Option<i128>) {
	let agg = slot.get_or_insert(Aggregate { min: value, max: value, ..Default::default() });
	agg.min = agg.min.min(value);
	agg.max = agg.max.max(value);
	agg.sum = agg.sum.saturating_add(value);
	match replaced {
		Some(old) => {
			agg.sum = agg.sum.saturating_sub(old);
			agg.superseded = agg.superseded.saturating_add(1);
		}
		None => agg.count = agg.count.saturating_add(1),
	}
}

/// The figures of two sets of values together (two reporters' of the same period).
pub(crate) fn merge(a: Aggregate, b: Aggregate) -> Aggregate {
	Aggregate {
		count: a.count.saturating_add(b.count),
		sum: a.sum.saturating_add(b.sum),
		min: a.min.min(b.min),
		max: a.max.max(b.max),
		superseded: a.superseded.saturating_add(b.superseded),
	}
}

impl<T: Config> Pallet<T> {
	/// Counts a record's `value` in the figures of its stream and of its reporter (under its
	/// topic) for `period`; a correction's value replaces `replaced`, the value of the record
	/// it supersedes.
	pub(crate) fn tally(
		stream: StreamId,
		topic: TopicId,
		period: u64,
		reporter: &T::AccountId,
		value: i128,
		replaced: Option<i128>,
	) {
		Aggregates::<T>::mutate(stream, period, |slot| fold(slot, value, replaced));
		ReporterAggregates::<T>::mutate((topic, period, reporter), |slot| {
			fold(slot, value, replaced)
		});
	}
}

impl<T: Config> PerformanceData<T::AccountId> for Pallet<T> {
	fn aggregate(
		organization: OrganizationId,
		metric: MetricId,
		subject: &[u8],
		period: u64,
	) -> Option<Aggregate> {
		Aggregates::<T>::get(Self::stream_key(organization, metric, subject), period)
	}

	fn aggregate_of(
		metric: MetricId,
		subject: &[u8],
		period: u64,
		reporters: &[T::AccountId],
	) -> Option<Aggregate> {
		let topic = topic_id(metric, subject);
		reporters
			.iter()
			.filter_map(|reporter| ReporterAggregates::<T>::get((topic, period, reporter)))
			.reduce(merge)
	}

	fn period_of(metric: MetricId, time: u64) -> Option<u64> {
		Self::definition(metric).map(|(_, spec)| time / spec.period_ms)
	}

	fn period_ms(metric: MetricId) -> Option<u64> {
		Self::definition(metric).map(|(_, spec)| spec.period_ms)
	}

	fn scale_of(metric: MetricId) -> Option<u8> {
		Self::definition(metric).map(|(_, spec)| spec.value_type.scale())
	}

	fn record(id: u64) -> Option<Target> {
		Records::<T>::get(id).map(|record| Target {
			organization: Some(record.organization),
			metric: Some(record.metric),
			region: record.region,
		})
	}

	fn read_weight() -> Weight {
		T::DbWeight::get().reads(2)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_first_value_opens_the_figures() {
		let mut slot = None;
		fold(&mut slot, 5, None);
		assert_eq!(slot, Some(Aggregate { count: 1, sum: 5, min: 5, max: 5, superseded: 0 }));
	}

	#[test]
	fn a_next_value_moves_min_max_sum_and_count() {
		let mut slot = None;
		fold(&mut slot, 5, None);
		fold(&mut slot, -3, None);
		fold(&mut slot, 9, None);
		assert_eq!(slot, Some(Aggregate { count: 3, sum: 11, min: -3, max: 9, superseded: 0 }));
	}

	#[test]
	fn a_correction_moves_the_sum_keeps_the_count_and_counts_the_superseded() {
		let mut slot = None;
		fold(&mut slot, 5, None);
		// 5 corrected to 7: the sum moves by +2; min keeps the replaced 5.
		fold(&mut slot, 7, Some(5));
		assert_eq!(slot, Some(Aggregate { count: 1, sum: 7, min: 5, max: 7, superseded: 1 }));
	}

	#[test]
	fn sums_saturate() {
		let mut slot = None;
		fold(&mut slot, i128::MAX, None);
		fold(&mut slot, 1, None);
		assert_eq!(slot.map(|a| (a.count, a.sum)), Some((2, i128::MAX)));
	}

	#[test]
	fn merged_figures_add_counts_and_sums_and_keep_the_extremes() {
		let a = Aggregate { count: 2, sum: 10, min: 3, max: 7, superseded: 1 };
		let b = Aggregate { count: 1, sum: -4, min: -4, max: -4, superseded: 0 };
		let both = Aggregate { count: 3, sum: 6, min: -4, max: 7, superseded: 1 };
		assert_eq!(merge(a, b), both);
		assert_eq!(merge(b, a), both);
	}
}
