//! The job queue: the work the pallet does by itself when its time comes ([`Job`]: settle a
//! period once it is due, pay a settlement once its dispute window closes).
//!
//! Jobs wait in buckets of time ([`Queue`], `ms / BucketMs`); [`Queued`] counts them and
//! [`Cursor`] is the next bucket to run. `on_initialize` runs the due buckets, oldest first,
//! within `MaxHookWeight` ([`Pallet::run_due_jobs`]); what does not fit waits for the next
//! block. A job that finds no room in [`SCHEDULE_TRIES`] buckets is given up on with a
//! `QueueFull` event; `settle_due` and `pay_due` push its step through by hand.

use crate::*;

/// How many buckets, from the due one, a job may be queued in before it is given up on (with
/// a `QueueFull` event: `settle_due` and `pay_due` still push it through).
const SCHEDULE_TRIES: u32 = 8;

impl<T: Config> Pallet<T> {
	/// Queues `job` for the first bucket at or after `due` (ms) with room.
	pub(crate) fn schedule(due: u64, job: Job) {
		let width = T::BucketMs::get().max(1);
		let now_bucket = Self::now() / width;
		if Queued::<T>::get() == 0 {
			Cursor::<T>::put(now_bucket);
		}
		// Never into the bucket being run (or one already run): at least the next one.
		let mut bucket = due.div_ceil(width).max(Cursor::<T>::get().saturating_add(1));
		for _ in 0..SCHEDULE_TRIES {
			let added = Queue::<T>::mutate(bucket, |jobs| jobs.try_push(job).is_ok());
			if added {
				Queued::<T>::mutate(|n| *n = n.saturating_add(1));
				return;
			}
			bucket = bucket.saturating_add(1);
		}
		Self::deposit_event(Event::QueueFull { job });
	}

	/// The most a job can weigh.
	fn job_weight() -> Weight {
		T::WeightInfo::settle(T::MaxReporters::get()).max(T::WeightInfo::pay())
	}

	/// Runs the jobs that are due, oldest bucket first, within `MaxHookWeight`.
	pub(crate) fn run_due_jobs() -> Weight {
		let mut used = T::WeightInfo::hook_base();
		if Queued::<T>::get() == 0 {
			return used;
		}
		let limit = T::MaxHookWeight::get();
		let now = Self::now();
		let now_bucket = now / T::BucketMs::get().max(1);
		let mut cursor = Cursor::<T>::get();
		let mut steps = 0;
		while cursor <= now_bucket
			&& steps < T::MaxBucketSteps::get()
			&& used.saturating_add(T::WeightInfo::hook_step()).all_lte(limit)
		{
			let mut jobs = Queue::<T>::get(cursor);
			let mut done = 0;
			while done < jobs.len() && used.saturating_add(Self::job_weight()).all_lte(limit) {
				used.saturating_accrue(Self::run(jobs[done]));
				done += 1;
			}
			Queued::<T>::mutate(|n| *n = n.saturating_sub(done as u32));
			if done < jobs.len() {
				// Out of weight: the rest waits for the next block.
				jobs = jobs.into_inner().split_off(done).try_into().expect("fewer than before");
				Queue::<T>::insert(cursor, jobs);
				break;
			}
			Queue::<T>::remove(cursor);
			cursor = cursor.saturating_add(1);
			Cursor::<T>::put(cursor);
			steps += 1;
			used.saturating_accrue(T::WeightInfo::hook_step());
		}
		used
	}

	/// Runs one job; returns its weight.
	fn run(job: Job) -> Weight {
		match job {
			Job::Settle(agreement, period) => {
				let weight = T::WeightInfo::settle(T::MaxReporters::get());
				match Agreements::<T>::get(agreement) {
					Some(details) if Self::settles_now(&details, period) => {
						Self::settle(agreement, details)
					}
					// Settled already (by `settle_due`), not due, or no longer active: a job left
					// behind, dropped.
					_ => {}
				}
				weight
			}
			Job::Pay(agreement, period) => {
				// Not due any more (disputed, or paid by hand): nothing to do.
				if let Ok((details, settlement)) = Self::due_payment(agreement, period) {
					if let Err(error) =
						Self::pay_as_settled(agreement, details, period, &settlement)
					{
						Self::deposit_event(Event::PaymentFailed { agreement, period, error });
						let retry_at = Self::now().saturating_add(T::PaymentRetryMs::get());
						Self::schedule(retry_at, Job::Pay(agreement, period));
					}
				}
				T::WeightInfo::pay()
			}
		}
	}
}
