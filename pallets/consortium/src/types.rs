//! Types of the consortium pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use perfledger_primitives::{OrganizationId, Region};
use scale_info::TypeInfo;

/// An organization's name, as it applied.
pub type NameOf<T> = BoundedVec<u8, <T as crate::Config>::MaxNameLength>;

/// The URI of a charter document.
pub type UriOf<T> = BoundedVec<u8, <T as crate::Config>::MaxUriLength>;

/// A pending application to join the consortium.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Application<Name, Balance, BlockNumber> {
	/// The organization's name.
	pub name: Name,
	/// Where the organization is registered.
	pub region: Region,
	/// The deposit held until the council decides.
	pub deposit: Balance,
	/// When it applied.
	pub applied_at: BlockNumber,
}

/// A member organization of the consortium, with a seat on the council.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct MemberInfo<Name, BlockNumber> {
	/// The organization's name.
	pub name: Name,
	/// Where the organization is registered.
	pub region: Region,
	/// Its organization in the permissions pallet.
	pub organization: OrganizationId,
	/// When it was admitted (0 for founding members).
	pub admitted_at: BlockNumber,
}

/// One version of the consortium's charter: the document's hash and where to read it.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Charter<Hash, Uri, BlockNumber> {
	/// The hash of the charter document (for example its SHA-256 or BLAKE2-256).
	pub hash: Hash,
	/// Where the document can be read.
	pub uri: Uri,
	/// When this version was adopted.
	pub adopted_at: BlockNumber,
}

/// A founding member in the genesis config.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct FoundingMember<AccountId> {
	/// The member's council account: it must also be in the council membership's genesis.
	pub account: AccountId,
	/// The organization's name.
	pub name: alloc::string::String,
	/// Where the organization is registered: an ISO 3166-1 alpha-2 code such as `"DE"`.
	pub region: alloc::string::String,
	/// Its organization in the permissions pallet.
	pub organization: OrganizationId,
}
