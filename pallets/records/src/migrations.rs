//! Storage migrations of records.

use super::*;
use frame::deps::frame_support::{
	migrations::VersionedMigration, storage_alias, traits::UncheckedOnRuntimeUpgrade,
};

/// Version 2: a stream is an organization's own, and document hashes are unique per
/// organization.
///
/// In version 1 a stream was keyed by metric and subject only and a document hash was unique
/// across the chain, so one organization could block another's data: a record dated "now" in
/// the other's stream made every earlier-dated record it then imported fail
/// (`TimeBeforeStreamHead`), and copying its pending document hash made its transaction fail.
///
/// - Every stream keeps its id and its records (their hashes cover the stream id they were
///   written under, and are never rewritten); it becomes the stream of the organization of
///   its head record. New streams are keyed by [`stream_id`] (organization, metric, subject);
///   [`Pallet::stream_key`] still finds an organization's stream under its version 1 id. A
///   version 1 stream that held records of several organizations keeps them all in its hash
///   chain (the records name their organization); from now on each other organization writes
///   to a stream of its own.
/// - Every document use moves under its document and the organization of its record or batch.
/// - Aggregates stay under their stream's id; a reporter's figures stay under the version 1
///   stream id, which is the [`topic_id`] they are kept under from now on.
///
/// All in one block: every stream and every document use is read and written once.
pub mod v2 {
	use super::*;

	/// The storage of version 1.
	pub mod v1 {
		use super::*;

		/// A version 1 stream: the records of one metric about one subject.
		#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
		pub struct Stream<Subject> {
			/// The metric.
			pub metric: MetricId,
			/// The subject.
			pub subject: Subject,
			/// Its latest record.
			pub head: RecordId,
			/// That record's hash.
			pub head_hash: H256,
			/// How many records it has.
			pub length: u64,
			/// The latest time its records describe.
			pub last_time: u64,
		}

		/// Version 1 streams, by `blake2_256((metric, subject))`.
		#[storage_alias]
		pub type Streams<T: Config> =
			StorageMap<Pallet<T>, Identity, StreamId, Stream<SubjectOf<T>>>;

		/// Version 1 document uses, by document hash, unique across the chain.
		#[storage_alias]
		pub type Documents<T: Config> = StorageMap<Pallet<T>, Blake2_128Concat, H256, DocumentUse>;
	}

	/// The migration without its version checks: use [`MigrateV1ToV2`].
	pub struct StreamsOfOrganizations<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for StreamsOfOrganizations<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut streams, mut documents, mut lost) = (0u64, 0u64, 0u64);
			Streams::<T>::translate::<v1::Stream<SubjectOf<T>>, _>(|_, old| {
				streams += 1;
				let Some(head) = Records::<T>::get(old.head) else {
					lost += 1;
					return None;
				};
				Some(Stream {
					organization: head.organization,
					metric: old.metric,
					subject: old.subject,
					head: old.head,
					head_hash: old.head_hash,
					length: old.length,
					last_time: old.last_time,
				})
			});
			// Drained first, written after: the new map shares the old one's prefix.
			let uses: Vec<(H256, DocumentUse)> = v1::Documents::<T>::drain().collect();
			for (document, used) in uses {
				documents += 1;
				match Pallet::<T>::document_user(used) {
					Some((organization, _)) => Documents::<T>::insert(document, organization, used),
					None => lost += 1,
				}
			}
			if lost > 0 {
				frame::log::warn!(
					target: "runtime::records",
					"storage v2: {lost} streams or document uses named a missing record or batch \
					 and were dropped"
				);
			}
			T::DbWeight::get().reads_writes(2 * (streams + documents), streams + 2 * documents)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, frame::deps::sp_runtime::TryRuntimeError> {
			let streams: Vec<(StreamId, RecordId, u64)> = v1::Streams::<T>::iter()
				.map(|(id, stream)| (id, stream.head, stream.length))
				.collect();
			let documents: Vec<(H256, DocumentUse)> = v1::Documents::<T>::iter().collect();
			Ok((streams, documents).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			type Before = (Vec<(StreamId, RecordId, u64)>, Vec<(H256, DocumentUse)>);
			let (streams, documents) =
				Before::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state")?;
			ensure!(
				Streams::<T>::iter().count() == streams.len(),
				"the migration lost or added streams"
			);
			for (id, head, length) in streams {
				let stream = Streams::<T>::get(id).ok_or("a stream moved or was lost")?;
				ensure!(stream.head == head && stream.length == length, "a stream changed");
				let record = Records::<T>::get(head).ok_or("a stream's head is missing")?;
				ensure!(stream.organization == record.organization, "a stream is not its head's");
				ensure!(
					Pallet::<T>::stream_key(stream.organization, stream.metric, &stream.subject)
						== id,
					"an organization no longer finds its stream"
				);
				ensure!(Pallet::<T>::verify_stream(id).is_ok(), "a stream's hash links broke");
			}
			ensure!(
				Documents::<T>::iter().count() == documents.len(),
				"the migration lost or added document uses"
			);
			for (document, used) in documents {
				let (organization, _) =
					Pallet::<T>::document_user(used).ok_or("a document's user is missing")?;
				ensure!(
					Documents::<T>::get(document, organization) == Some(used),
					"a document use did not move to its organization"
				);
			}
			Ok(())
		}
	}

	/// Migrates records' storage from version 1 to 2 (once; a no-op at any other version).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		StreamsOfOrganizations<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
