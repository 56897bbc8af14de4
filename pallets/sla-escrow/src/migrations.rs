//! Storage migrations of SLA escrow.

use super::*;
use frame::deps::frame_support::{
	migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade,
};

/// Version 2: a settlement job names the period it settles.
///
/// In version 1 a job said only "settle the agreement's next period". A period settled by hand
/// (`settle_due`) left its queued job behind, and that job then settled the *next* period as
/// soon as it ran, long before that period had ended. Each version 1 job becomes a job for the
/// period that was next when the migration runs; if that period is not due when the job runs,
/// the job is dropped (the settlement that made it next queued its own job for it).
pub mod v2 {
	use super::*;

	/// The jobs of version 1.
	pub mod v1 {
		use super::*;

		/// A version 1 job.
		#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
		pub enum Job {
			/// Settle the agreement's next period.
			Settle(AgreementId),
			/// Pay a settled period whose dispute window closed.
			Pay(AgreementId, u64),
		}

		/// A version 1 bucket of jobs.
		pub type JobsOf<T> = BoundedVec<Job, <T as Config>::MaxJobsPerBucket>;
	}

	/// The migration without its version checks: use [`MigrateV1ToV2`].
	pub struct NamePeriodsOfJobs<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for NamePeriodsOfJobs<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut buckets, mut agreements, mut dropped) = (0u64, 0u64, 0u32);
			Queue::<T>::translate::<v1::JobsOf<T>, _>(|_, jobs| {
				buckets += 1;
				let mut out = JobsOf::<T>::new();
				for job in jobs {
					let job = match job {
						v1::Job::Pay(agreement, period) => Some(Job::Pay(agreement, period)),
						v1::Job::Settle(agreement) => {
							agreements += 1;
							Agreements::<T>::get(agreement).map(|details| {
								Job::Settle(agreement, Pallet::<T>::next_period(&details))
							})
						}
					};
					match job {
						// As many jobs as before or fewer: each fits.
						Some(job) => out.try_push(job).expect("no more jobs than the bound"),
						None => dropped += 1,
					}
				}
				(!out.is_empty()).then_some(out)
			});
			Queued::<T>::mutate(|n| *n = n.saturating_sub(dropped));
			T::DbWeight::get().reads_writes(buckets + agreements + 1, buckets + 1)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::deps::sp_runtime::TryRuntimeError> {
			let jobs: u32 = frame::deps::frame_support::storage::migration::storage_key_iter::<
				u64,
				v1::JobsOf<T>,
				Twox64Concat,
			>(<Pallet<T>>::name().as_bytes(), b"Queue")
			.map(|(_, jobs)| jobs.len() as u32)
			.sum();
			Ok(jobs.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state")?;
			let after: u32 = Queue::<T>::iter_values().map(|jobs| jobs.len() as u32).sum();
			ensure!(after <= before, "the migration added jobs");
			ensure!(after == Queued::<T>::get(), "the queue count does not match the queue");
			Ok(())
		}
	}

	/// Migrates SLA escrow's storage from version 1 to 2 (once; a no-op at any other version).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		NamePeriodsOfJobs<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 3: the active agreements per metric are counted ([`ActiveByMetric`]), so that the
/// records pallet keeps a metric's owner from retiring it, or changing what its records may
/// hold, while an agreement settles by it. The count is built from the agreements (each read
/// once).
pub mod v3 {
	use super::*;

	/// The migration without its version checks: use [`MigrateV2ToV3`].
	pub struct CountActiveByMetric<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for CountActiveByMetric<T> {
		fn on_runtime_upgrade() -> Weight {
			let agreements = Agreements::<T>::iter_keys().count() as u64;
			let active = Pallet::<T>::active_by_metric();
			let metrics = active.len() as u64;
			for (metric, count) in active {
				ActiveByMetric::<T>::insert(metric, count);
			}
			T::DbWeight::get().reads_writes(agreements, metrics)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::deps::sp_runtime::TryRuntimeError> {
			ensure!(
				ActiveByMetric::<T>::iter().next().is_none(),
				"version 2 has no count of active agreements"
			);
			Ok(Vec::new())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: Vec<u8>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			let counted: alloc::collections::BTreeMap<_, _> = ActiveByMetric::<T>::iter().collect();
			ensure!(counted == Pallet::<T>::active_by_metric(), "a metric's count is wrong");
			Ok(())
		}
	}

	/// Migrates SLA escrow's storage from version 2 to 3 (once; a no-op at any other version).
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		CountActiveByMetric<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
