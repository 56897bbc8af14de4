//! The runtime API of selective disclosure: commitments, field checks for private
//! disclosures, grants, committed values and what was proved about them.

use crate::{ClaimId, CommitmentId, FieldCheckError, FieldDisclosure, RequestId, ValueId};
use alloc::vec::Vec;
use codec::Codec;
use perfledger_primitives::{MetricId, OrganizationId, ProvenRange};

frame::runtime::apis::sp_api::decl_runtime_apis! {
	/// Reads and checks of selective disclosure, for grantees, auditors and dashboards.
	pub trait DisclosureApi<Commitment, Request, Value, Claim>
	where
		Commitment: Codec,
		Request: Codec,
		Value: Codec,
		Claim: Codec,
	{
		/// A document commitment.
		fn commitment(id: CommitmentId) -> Option<Commitment>;
		/// Checks a disclosed field (position, value, salt, proof) against a commitment: how
		/// a grantee checks what the owner sent it privately.
		fn verify_field(commitment: CommitmentId, disclosure: FieldDisclosure) -> Result<(), FieldCheckError>;
		/// An open request or grant, and whether it is active now.
		fn request(id: RequestId) -> Option<(Request, bool)>;
		/// The committed value of an organization's metric about a subject in a reporting
		/// period, and what was proved about it.
		fn committed_value(
			organization: OrganizationId,
			metric: MetricId,
			subject: Vec<u8>,
			period: u64,
		) -> Option<(ValueId, Value, ProvenRange)>;
		/// A threshold claim.
		fn claim(id: ClaimId) -> Option<Claim>;
	}
}
