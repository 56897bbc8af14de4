//! The pallet's invariants, checked after every test (`mock.rs`) and by try-runtime.

use crate::*;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants: open-request counts match the requests; every request's
	/// commitment exists and its fields are in range; approvals are below the count that
	/// activates; proven bounds belong to committed values and do not contradict each other.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let mut counts = alloc::collections::BTreeMap::<T::AccountId, u32>::new();
		for (id, open) in Requests::<T>::iter() {
			*counts.entry(open.requester.clone()).or_default() += 1;
			let document = Commitments::<T>::get(open.commitment)
				.ok_or("a request names an unknown commitment")?;
			ensure!(
				open.fields.iter().all(|f| *f < document.fields),
				"a request names a field out of range"
			);
			let given = Approvals::<T>::iter_prefix(id).count() as u32;
			match open.status {
				RequestStatus::AwaitingApproval { approvals, .. } => ensure!(
					approvals == given && approvals < T::RequiredApprovals::get(),
					"approvals do not match the grant's count"
				),
				_ => ensure!(given == 0, "approvals left on a request not awaiting them"),
			}
		}
		ensure!(
			OpenRequests::<T>::iter().collect::<alloc::collections::BTreeMap<_, _>>() == counts,
			"open-request counts do not match the requests"
		);
		for (id, range) in Proven::<T>::iter() {
			ensure!(Values::<T>::contains_key(id), "bounds of an unknown value");
			if let (Some(low), Some(high)) = (range.at_least, range.at_most) {
				ensure!(low <= high, "proven bounds contradict each other");
			}
		}
		Ok(())
	}
}
