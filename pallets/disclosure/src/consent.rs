//! The consent log: requests for fields of a commitment, the owner's grants and refusals,
//! approvals of grants of sensitive commitments, revocations, withdrawals and purges of expired
//! grants, and whether a grant is active.
//!
//! A request and its grant are one entry of [`Requests`] (one id); [`RequestStatus`] says where
//! it stands. Every step is an event, and refused, withdrawn, revoked and purged requests are
//! removed. The rules that need no storage are the free functions at the end, tested without a
//! runtime.

use crate::*;
use perfledger_primitives::IdSequence;

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::request_disclosure`].
	pub(crate) fn do_request_disclosure(
		who: T::AccountId,
		commitment: CommitmentId,
		fields: FieldsOf<T>,
	) -> DispatchResult {
		let document = Commitments::<T>::get(commitment).ok_or(Error::<T>::UnknownCommitment)?;
		let requester_organization = T::Permissions::organization_of(&who);
		if requester_organization.is_none() {
			let target = Self::target_of(document.organization, document.record)?;
			ensure!(T::Permissions::may(&who, Action::Audit, &target), Error::<T>::NotPermitted);
		}
		ensure!(!fields.is_empty(), Error::<T>::NoFieldsRequested);
		ensure!(fields.windows(2).all(|w| w[0] < w[1]), Error::<T>::FieldsNotAscending);
		ensure!(fields.iter().all(|f| *f < document.fields), Error::<T>::FieldOutOfRange);
		let open = OpenRequests::<T>::get(&who);
		ensure!(open < T::MaxOpenRequests::get(), Error::<T>::TooManyOpenRequests);

		let request = NextRequestId::<T>::allocate().ok_or(ArithmeticError::Overflow)?;
		OpenRequests::<T>::insert(&who, open + 1);
		Requests::<T>::insert(
			request,
			Request {
				commitment,
				requester: who.clone(),
				fields: fields.clone(),
				status: RequestStatus::Pending,
				requested_at: frame_system::Pallet::<T>::block_number(),
				requester_organization,
			},
		);
		Self::deposit_event(Event::DisclosureRequested {
			request,
			commitment,
			requester: who,
			fields,
		});
		Ok(())
	}

	/// The body of [`Pallet::grant_disclosure`].
	pub(crate) fn do_grant_disclosure(
		who: T::AccountId,
		request: RequestId,
		expires_at: BlockNumberFor<T>,
	) -> DispatchResult {
		let (mut open, document) = Self::owners_decision(&who, request)?;
		ensure!(open.status == RequestStatus::Pending, Error::<T>::AlreadyDecided);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(expires_at > now, Error::<T>::ExpiryInThePast);
		ensure!(expires_at <= now + T::MaxGrantDuration::get(), Error::<T>::ExpiryTooFar);

		let approvals_required =
			approvals_required(document.sensitivity, T::RequiredApprovals::get());
		open.status = granted(expires_at, approvals_required);
		Requests::<T>::insert(request, open);
		Self::deposit_event(Event::DisclosureGranted {
			request,
			by: who,
			expires_at,
			approvals_required,
		});
		if approvals_required == 0 {
			Self::deposit_event(Event::DisclosureActivated { request, expires_at });
		}
		Ok(())
	}

	/// The body of [`Pallet::refuse_disclosure`].
	pub(crate) fn do_refuse_disclosure(who: T::AccountId, request: RequestId) -> DispatchResult {
		let (open, _) = Self::owners_decision(&who, request)?;
		ensure!(open.status == RequestStatus::Pending, Error::<T>::AlreadyDecided);
		Self::remove_request(request, &open);
		Self::deposit_event(Event::DisclosureRefused { request, by: who });
		Ok(())
	}

	/// The body of [`Pallet::approve_disclosure`]: an admin approves for its organization.
	pub(crate) fn do_approve_disclosure(who: T::AccountId, request: RequestId) -> DispatchResult {
		let organization =
			T::Permissions::acting_for(&who, Action::Administer, Target::organization)
				.map_err(Error::<T>::from)?;
		Self::approve(request, Approver::Organization(organization))
	}

	/// The body of [`Pallet::approve_disclosure_by_council`], once the origin is checked.
	pub(crate) fn do_approve_disclosure_by_council(request: RequestId) -> DispatchResult {
		Self::approve(request, Approver::Council)
	}

	/// The body of [`Pallet::revoke_disclosure`].
	pub(crate) fn do_revoke_disclosure(who: T::AccountId, request: RequestId) -> DispatchResult {
		let (open, _) = Self::owners_decision(&who, request)?;
		ensure!(open.status != RequestStatus::Pending, Error::<T>::NotGranted);
		Self::remove_request(request, &open);
		Self::deposit_event(Event::DisclosureRevoked { request, by: who });
		Ok(())
	}

	/// The body of [`Pallet::withdraw_request`].
	pub(crate) fn do_withdraw_request(who: T::AccountId, request: RequestId) -> DispatchResult {
		let open = Requests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
		ensure!(open.requester == who, Error::<T>::NotRequester);
		Self::remove_request(request, &open);
		Self::deposit_event(Event::RequestWithdrawn { request });
		Ok(())
	}

	/// The body of [`Pallet::purge_expired`], once the origin is checked.
	pub(crate) fn do_purge_expired(request: RequestId) -> DispatchResult {
		let open = Requests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
		let expires_at = expiry(&open.status).ok_or(Error::<T>::NotGranted)?;
		ensure!(
			expires_at <= frame_system::Pallet::<T>::block_number(),
			Error::<T>::GrantNotExpired
		);
		Self::remove_request(request, &open);
		Self::deposit_event(Event::GrantExpired { request });
		Ok(())
	}

	/// The request and its commitment, if `who` is an admin of the commitment's owner.
	fn owners_decision(
		who: &T::AccountId,
		request: RequestId,
	) -> Result<(RequestOf<T>, DocumentCommitmentOf<T>), DispatchError> {
		let (open, document) = Self::request_and_commitment(request)?;
		ensure!(
			T::Permissions::may(
				who,
				Action::Administer,
				&Target::organization(document.organization)
			),
			Error::<T>::NotPermitted
		);
		Ok((open, document))
	}

	/// The open request `request` and its commitment.
	fn request_and_commitment(
		request: RequestId,
	) -> Result<(RequestOf<T>, DocumentCommitmentOf<T>), DispatchError> {
		let open = Requests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
		let document =
			Commitments::<T>::get(open.commitment).ok_or(Error::<T>::UnknownCommitment)?;
		Ok((open, document))
	}

	/// Removes request `request` (`open`), its requester's open-request count and any approvals
	/// it holds.
	fn remove_request(request: RequestId, open: &RequestOf<T>) {
		Requests::<T>::remove(request);
		OpenRequests::<T>::mutate_exists(&open.requester, |count| {
			*count = count.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
		if matches!(open.status, RequestStatus::AwaitingApproval { .. }) {
			let _ = Approvals::<T>::clear_prefix(request, T::RequiredApprovals::get(), None);
		}
	}

	/// `approver` approves the grant `request`; with the `RequiredApprovals`th approval the
	/// grant becomes active and its approvals are cleared.
	fn approve(request: RequestId, approver: Approver) -> DispatchResult {
		let (mut open, document) = Self::request_and_commitment(request)?;
		if let Approver::Organization(organization) = approver {
			ensure!(organization != document.organization, Error::<T>::OwnOrganization);
			// The requester's organization when it asked, or now: neither approves.
			ensure!(
				open.requester_organization != Some(organization)
					&& T::Permissions::organization_of(&open.requester) != Some(organization),
				Error::<T>::RequestersOrganization
			);
		}
		let RequestStatus::AwaitingApproval { expires_at, approvals } = open.status else {
			return Err(Error::<T>::NotAwaitingApproval.into());
		};
		ensure!(frame_system::Pallet::<T>::block_number() < expires_at, Error::<T>::GrantExpired);
		ensure!(!Approvals::<T>::contains_key(request, approver), Error::<T>::AlreadyApproved);

		let (approvals, active) = after_approval(approvals, T::RequiredApprovals::get());
		if active {
			open.status = RequestStatus::Granted { expires_at };
			let _ = Approvals::<T>::clear_prefix(request, T::RequiredApprovals::get(), None);
		} else {
			open.status = RequestStatus::AwaitingApproval { expires_at, approvals };
			Approvals::<T>::insert(request, approver, ());
		}
		Requests::<T>::insert(request, open);
		Self::deposit_event(Event::DisclosureApproved { request, approver, approvals });
		if active {
			Self::deposit_event(Event::DisclosureActivated { request, expires_at });
		}
		Ok(())
	}

	/// Whether `request` is granted, active and unexpired now.
	pub fn is_active(request: RequestId) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		Requests::<T>::get(request).is_some_and(
			|open| matches!(open.status, RequestStatus::Granted { expires_at } if now < expires_at),
		)
	}
}

/// How many approvals a grant of a commitment classed `sensitivity` needs when the pallet
/// requires `required`: `required` for a sensitive one, none for an ordinary one.
pub(crate) fn approvals_required(sensitivity: Sensitivity, required: u32) -> u32 {
	match sensitivity {
		Sensitivity::Sensitive => required,
		Sensitivity::Ordinary => 0,
	}
}

/// A request's status once granted until `expires_at`: active at once when it needs no
/// approvals, otherwise waiting for `approvals_required` of them, none given yet.
pub(crate) fn granted<B>(expires_at: B, approvals_required: u32) -> RequestStatus<B> {
	if approvals_required == 0 {
		RequestStatus::Granted { expires_at }
	} else {
		RequestStatus::AwaitingApproval { expires_at, approvals: 0 }
	}
}

/// A grant that holds `approvals` approvals gets one more: the new count, and whether the grant
/// becomes active with it (`required` reached).
pub(crate) fn after_approval(approvals: u32, required: u32) -> (u32, bool) {
	let approvals = approvals + 1;
	(approvals, approvals >= required)
}

/// When a request's grant expires: `None` while the request is pending.
pub(crate) fn expiry<B: Copy>(status: &RequestStatus<B>) -> Option<B> {
	match status {
		RequestStatus::Pending => None,
		RequestStatus::AwaitingApproval { expires_at, .. }
		| RequestStatus::Granted { expires_at } => Some(*expires_at),
	}
}

#[cfg(test)]
mod tests {
	use super::{after_approval, approvals_required, expiry, granted};
	use crate::{RequestStatus, Sensitivity};

	#[test]
	fn only_a_sensitive_commitment_needs_approvals() {
		assert_eq!(approvals_required(Sensitivity::Sensitive, 2), 2);
		assert_eq!(approvals_required(Sensitivity::Sensitive, 5), 5);
		assert_eq!(approvals_required(Sensitivity::Ordinary, 2), 0);
		assert_eq!(approvals_required(Sensitivity::Sensitive, 0), 0);
	}

	#[test]
	fn a_grant_needing_no_approvals_is_active_at_once() {
		assert_eq!(granted(40u64, 0), RequestStatus::Granted { expires_at: 40 });
		assert_eq!(
			granted(40u64, 2),
			RequestStatus::AwaitingApproval { expires_at: 40, approvals: 0 }
		);
	}

	#[test]
	fn the_required_approval_activates_and_none_before_it() {
		assert_eq!(after_approval(0, 2), (1, false));
		assert_eq!(after_approval(1, 2), (2, true));
		assert_eq!(after_approval(0, 1), (1, true));
		assert_eq!(after_approval(2, 5), (3, false));
	}

	#[test]
	fn a_pending_request_has_no_expiry() {
		assert_eq!(expiry(&RequestStatus::<u64>::Pending), None);
		assert_eq!(
			expiry(&RequestStatus::AwaitingApproval { expires_at: 7u64, approvals: 1 }),
			Some(7)
		);
		assert_eq!(expiry(&RequestStatus::Granted { expires_at: 9u64 }), Some(9));
	}
}
