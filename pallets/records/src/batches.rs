//! Batches: anchoring the Merkle root of many off-chain records of one metric in one
//! transaction, and checking that a record is in an anchored batch.
//!
//! The tree is [`merkle`]'s, shared with clients and selective disclosure; the records stay off
//! chain, in the batch's document. A batch uses its document hash as a record does: once per
//! organization ([`Documents`]).

use crate::*;
use perfledger_primitives::IdSequence;

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::anchor_batch`].
	pub(crate) fn do_anchor_batch(
		who: T::AccountId,
		metric: MetricId,
		root: H256,
		leaves: u32,
		document: H256,
		uri: UriOf<T>,
	) -> DispatchResult {
		let organization =
			T::Permissions::organization_of(&who).ok_or(Error::<T>::NoOrganization)?;
		let (_, spec) = Self::current_spec(metric)?;
		let target = Target::organization(organization).metric(metric);
		ensure!(Self::may_report(&who, &spec, &target), Error::<T>::NotPermitted);
		ensure!(leaves > 0, Error::<T>::EmptyBatch);
		ensure!(!Self::document_used(document, organization), Error::<T>::DuplicateDocument);
		let batch = NextBatchId::<T>::allocate().ok_or(Error::<T>::Overflow)?;
		Documents::<T>::insert(document, organization, DocumentUse::Batch(batch));
		Batches::<T>::insert(
			batch,
			Batch {
				metric,
				organization,
				root,
				leaves,
				document,
				uri,
				submitter: who,
				anchored_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::BatchAnchored { batch, metric, root, leaves });
		Ok(())
	}

	/// Whether `proof` shows `leaf` at `index` in batch `batch`.
	pub fn verify_inclusion(batch: BatchId, leaf: H256, index: u32, proof: Vec<H256>) -> bool {
		Batches::<T>::get(batch)
			.is_some_and(|b| merkle::verify(&b.root, b.leaves, index, &leaf, &proof))
	}
}
