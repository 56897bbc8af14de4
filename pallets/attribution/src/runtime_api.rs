//! The runtime API of attribution: artifacts, their lineage and pedigree, licenses, scores and
//! what pools owe, for the client, auditors and dashboards.

use crate::{ArtifactId, LicenseId};
use alloc::vec::Vec;
use codec::Codec;
use frame::prelude::H256;

frame::runtime::apis::sp_api::decl_runtime_apis! {
	/// Reads of attribution. Lineage reads walk the DAG breadth first in one call.
	pub trait AttributionApi<AccountId, Balance, Artifact, Inheritance, License>
	where
		AccountId: Codec,
		Balance: Codec,
		Artifact: Codec,
		Inheritance: Codec,
		License: Codec,
	{
		/// An artifact and what it inherits (restrictions with the ancestors that set them,
		/// royalties).
		fn artifact(id: ArtifactId) -> Option<(Artifact, Inheritance)>;
		/// The contributors of an artifact's lineage (it and its ancestors): the accounts a
		/// score vector of it may name.
		fn contributors(id: ArtifactId) -> Vec<AccountId>;
		/// The artifact registered with `digest`.
		fn artifact_by_digest(digest: H256) -> Option<ArtifactId>;
		/// License terms.
		fn license(id: LicenseId) -> Option<License>;
		/// The ancestors within `depth` generations, nearest first, with their generation:
		/// from the `skip`-th, at most `limit`.
		fn ancestors(id: ArtifactId, depth: u32, skip: u32, limit: u32) -> Vec<(ArtifactId, u32)>;
		/// The descendants within `depth` generations, nearest first, with their generation:
		/// from the `skip`-th, at most `limit`.
		fn descendants(id: ArtifactId, depth: u32, skip: u32, limit: u32) -> Vec<(ArtifactId, u32)>;
		/// Every dataset `model` descends from, nearest first, with its license: the model's data
		/// pedigree.
		fn pedigree(model: ArtifactId) -> Vec<(ArtifactId, Artifact, License)>;
		/// A model's final scores: contributor and points (out of 1,000,000).
		fn scores(model: ArtifactId) -> Vec<(AccountId, u32)>;
		/// What `model`'s pool owes `who` now.
		fn claimable(model: ArtifactId, who: AccountId) -> Balance;
	}
}
