//! Types and traits shared by Perfledger's pallets.
//!
//! Pallets never depend on each other: where one needs another, its `Config` names a trait
//! from here and the runtime wires the pallet that implements it. Nothing here has logic
//! beyond no-op implementations for `()`, used by pallets' mocks and by runtimes that leave
//! a feature out.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use scale_info::TypeInfo;

/// An organization of the consortium.
pub type OrganizationId = u32;

/// An ISO 3166-1 alpha-2 country code, such as `DE` or `JP`: two upper-case ASCII letters.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Region(pub [u8; 2]);

impl Region {
	/// The region, if `code` is two upper-case ASCII letters.
	pub fn new(code: [u8; 2]) -> Option<Self> {
		code.iter().all(u8::is_ascii_uppercase).then_some(Self(code))
	}

	/// Whether this is a well-formed code (two upper-case ASCII letters).
	pub fn is_valid(&self) -> bool {
		Self::new(self.0).is_some()
	}
}

/// How the consortium's membership decisions reach the pallet that keeps organizations.
///
/// The governance pallet calls this when the council admits or removes a member; the
/// permissions pallet implements it by creating or closing the member's organization.
pub trait OrganizationLifecycle<AccountId> {
	/// A member was admitted: create its organization, with `admin` as its first admin.
	fn on_admitted(
		admin: &AccountId,
		name: &[u8],
		region: Region,
	) -> Result<OrganizationId, DispatchError>;

	/// A member left or was removed: suspend the organization whose founding admin is `admin`.
	fn on_removed(admin: &AccountId) -> DispatchResult;

	/// The most weight `on_admitted` can take.
	fn on_admitted_weight() -> Weight;

	/// The most weight `on_removed` can take.
	fn on_removed_weight() -> Weight;
}

impl<AccountId> OrganizationLifecycle<AccountId> for () {
	fn on_admitted(_: &AccountId, _: &[u8], _: Region) -> Result<OrganizationId, DispatchError> {
		Ok(0)
	}
	fn on_removed(_: &AccountId) -> DispatchResult {
		Ok(())
	}
	fn on_admitted_weight() -> Weight {
		Weight::zero()
	}
	fn on_removed_weight() -> Weight {
		Weight::zero()
	}
}

/// The consortium council's seats, as the governance pallet changes them.
///
/// The runtime implements it over `pallet-membership`, so that council seats change only
/// through the governance pallet's checks (minimum size, admission by motion).
pub trait CouncilSeats<AccountId> {
	/// The sitting members, sorted.
	fn members() -> Vec<AccountId>;
	/// Seats `who`.
	fn add(who: &AccountId) -> DispatchResult;
	/// Unseats `who`.
	fn remove(who: &AccountId) -> DispatchResult;
	/// Makes `who`, a sitting member, the prime member.
	fn set_prime(who: &AccountId) -> DispatchResult;
	/// The current prime member, if any.
	fn prime() -> Option<AccountId>;
}
