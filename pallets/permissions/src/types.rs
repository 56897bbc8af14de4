//! Types of the permissions pallet: roles, scopes, grants and organizations.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
pub use perfledger_primitives::Role;
use perfledger_primitives::{MetricId, OrganizationId, Region, Target};
use scale_info::TypeInfo;

/// The metrics a grant is limited to.
pub type MetricsOf<T> = BoundedVec<MetricId, <T as crate::Config>::MaxScopedMetrics>;
/// A scope as stored and as calls take it.
pub type ScopeOf<T> = Scope<MetricsOf<T>>;
/// A grant as stored.
pub type GrantOf<T> = Grant<MetricsOf<T>, BlockNumberFor<T>>;
/// An organization as stored.
pub type OrganizationOf<T> = Organization<
	<T as frame_system::Config>::AccountId,
	BoundedVec<u8, <T as crate::Config>::MaxNameLength>,
	BlockNumberFor<T>,
>;

/// What a grant is limited to. An empty `metrics` and no `region` is an unscoped grant.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Scope<Metrics> {
	/// The metrics the grant covers; empty covers every metric.
	pub metrics: Metrics,
	/// The region the grant covers; `None` covers every region.
	pub region: Option<Region>,
}

impl<Metrics: AsRef<[MetricId]>> Scope<Metrics> {
	/// Whether the scope covers `target`'s metric and region. A scoped dimension does not cover
	/// a target that names none.
	pub fn covers(&self, target: &Target) -> bool {
		let metrics = self.metrics.as_ref();
		let metric_ok = metrics.is_empty() || target.metric.is_some_and(|m| metrics.contains(&m));
		let region_ok = self.region.is_none() || self.region == target.region;
		metric_ok && region_ok
	}
}

/// A role held by an account.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Grant<Metrics, BlockNumber> {
	/// The organization the account holds it in; `None` for a consortium role (auditor,
	/// regulator) granted by the council.
	pub organization: Option<OrganizationId>,
	/// What it is limited to.
	pub scope: Scope<Metrics>,
	/// The first block at which it no longer holds; `None` for no expiry.
	pub expires_at: Option<BlockNumber>,
	/// When it was granted.
	pub granted_at: BlockNumber,
}

impl<Metrics, BlockNumber: PartialOrd> Grant<Metrics, BlockNumber> {
	/// Whether it has not expired at block `now` (it expires at the start of `expires_at`).
	pub fn unexpired(&self, now: &BlockNumber) -> bool {
		self.expires_at.as_ref().map_or(true, |end| now < end)
	}
}

/// Whether an organization's members may act.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum OrganizationStatus {
	/// Its grants hold.
	Active,
	/// Every grant under it is suspended, at once, until the council reinstates it.
	Suspended,
}

/// An organization of the consortium.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Organization<AccountId, Name, BlockNumber> {
	/// Its name, as it applied to the consortium.
	pub name: Name,
	/// The consortium member account that owns it: its first admin, whose admin grant stays as
	/// long as the organization.
	pub owner: AccountId,
	/// Where it is registered: an ISO 3166-1 alpha-2 code.
	pub region: Region,
	/// Whether its grants hold.
	pub status: OrganizationStatus,
	/// How many accounts hold a role in it.
	pub members: u32,
	/// When it was created.
	pub created_at: BlockNumber,
}

/// A live grant, as the runtime API reports it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct GrantInfo<Metrics, BlockNumber> {
	/// The role.
	pub role: Role,
	/// The grant.
	pub grant: Grant<Metrics, BlockNumber>,
}

/// An organization in the genesis config.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct GenesisOrganization<AccountId> {
	/// Its id: the one the consortium's genesis gives its founding member.
	pub id: OrganizationId,
	/// Its owner and first admin.
	pub owner: AccountId,
	/// Its name.
	pub name: alloc::string::String,
	/// Where it is registered: an ISO 3166-1 alpha-2 code such as `"DE"`.
	pub region: alloc::string::String,
}

/// A grant in the genesis config: unscoped, without expiry.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct GenesisGrant<AccountId> {
	/// Who holds it.
	pub who: AccountId,
	/// The role.
	pub role: Role,
	/// The organization, for an organization role; `None` for a consortium role.
	pub organization: Option<OrganizationId>,
}
