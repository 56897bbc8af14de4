//! The pallet's invariants, checked after every test (`mock.rs`) and by try-runtime.

use crate::*;

impl<T: Config> Pallet<T> {
	/// Invariants: every metric's current version exists; every stream's head is a record of
	/// that stream and of its organization, whose hash the stream holds; a stream is under the
	/// id of its organization, metric and subject (or their topic, from before storage version
	/// 2); every record id is below the next one; every document use names a record or batch
	/// of that organization with that document.
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		for (metric, head) in Metrics::<T>::iter() {
			ensure!(
				MetricVersions::<T>::contains_key(metric, head.version),
				"a metric's current version is missing"
			);
			ensure!(metric < NextMetricId::<T>::get(), "a metric id is not below the next");
		}
		for (id, stream) in Streams::<T>::iter() {
			let head = Records::<T>::get(stream.head).ok_or("a stream's head record is missing")?;
			ensure!(head.stream == id, "a stream's head belongs to another stream");
			ensure!(head.organization == stream.organization, "a stream's head is another's");
			ensure!(
				id == stream_id(stream.organization, stream.metric, &stream.subject)
					|| id == topic_id(stream.metric, &stream.subject),
				"a stream is not under its organization's id"
			);
			ensure!(head.hash() == stream.head_hash, "a stream's head hash does not match");
			ensure!(stream.head < NextRecordId::<T>::get(), "a record id is not below the next");
		}
		for (document, organization, used) in Documents::<T>::iter() {
			ensure!(
				Self::document_user(used) == Some((organization, document)),
				"a document use names another's"
			);
		}
		Ok(())
	}

	/// The organization and document of the record or batch a document use names.
	pub(crate) fn document_user(used: DocumentUse) -> Option<(OrganizationId, H256)> {
		match used {
			DocumentUse::Record(id) => Records::<T>::get(id).map(|r| (r.organization, r.document)),
			DocumentUse::Batch(id) => Batches::<T>::get(id).map(|b| (b.organization, b.document)),
		}
	}
}
