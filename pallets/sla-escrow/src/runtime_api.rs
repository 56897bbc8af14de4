//! The runtime API of SLA escrow: an agreement's state and its settlement history.

use crate::AgreementId;
use alloc::vec::Vec;
use codec::Codec;

frame::runtime::apis::sp_api::decl_runtime_apis! {
	/// Reads of SLA escrow, for the parties, auditors and dashboards.
	pub trait SlaEscrowApi<Agreement, Settlement>
	where
		Agreement: Codec,
		Settlement: Codec,
	{
		/// An agreement: its terms, status, what it still holds and how many periods settled.
		fn agreement(id: AgreementId) -> Option<Agreement>;
		/// Its settlements, by period: basis, shares, and whether paid, open or disputed.
		fn settlements(id: AgreementId) -> Vec<(u64, Settlement)>;
	}
}
