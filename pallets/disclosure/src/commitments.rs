//! Commitments: committing a document, publishing a field, checking a disclosure against a
//! commitment, and what a commitment is about.
//!
//! A commitment is the Merkle root of a document's salted fields ([`perfledger_proofs::fields`]);
//! the document itself stays off chain.

use crate::*;
use perfledger_primitives::IdSequence;

impl<T: Config> Pallet<T> {
	/// The body of [`Pallet::commit`]: permission first, then the input, then the writes.
	pub(crate) fn do_commit(
		who: T::AccountId,
		schema: H256,
		root: H256,
		fields: u32,
		sensitivity: Sensitivity,
		record: Option<RecordId>,
	) -> DispatchResult {
		let organization =
			T::Permissions::organization_of(&who).ok_or(Error::<T>::NoOrganization)?;
		let target = Self::target_of(organization, record)?;
		ensure!(target.organization == Some(organization), Error::<T>::RecordOfAnotherOrganization);
		ensure!(T::Permissions::may(&who, Action::SubmitRecord, &target), Error::<T>::NotPermitted);
		ensure!(fields > 0, Error::<T>::NoFields);
		ensure!(fields <= T::MaxFields::get(), Error::<T>::TooManyFields);

		let commitment = NextCommitmentId::<T>::allocate().ok_or(ArithmeticError::Overflow)?;
		Commitments::<T>::insert(
			commitment,
			DocumentCommitment {
				organization,
				schema,
				root,
				fields,
				sensitivity,
				record,
				committer: who,
				committed_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::Committed {
			commitment,
			organization,
			schema,
			root,
			fields,
			sensitivity,
			record,
		});
		Ok(())
	}

	/// The body of [`Pallet::publish_field`].
	pub(crate) fn do_publish_field(
		who: T::AccountId,
		commitment: CommitmentId,
		position: u32,
		value: FieldValueOf<T>,
		salt: Salt,
		proof: FieldProof,
	) -> DispatchResult {
		let document = Commitments::<T>::get(commitment).ok_or(Error::<T>::UnknownCommitment)?;
		ensure!(
			T::Permissions::may(
				&who,
				Action::Administer,
				&Target::organization(document.organization)
			),
			Error::<T>::NotPermitted
		);
		ensure!(!Published::<T>::contains_key(commitment, position), Error::<T>::AlreadyPublished);
		let disclosure =
			FieldDisclosure { position, value: value.to_vec(), salt, proof: proof.into_inner() };
		match fields::verify(&document.schema, &document.root, document.fields, &disclosure) {
			Ok(()) => {}
			Err(FieldError::PositionOutOfRange) => Err(Error::<T>::FieldOutOfRange)?,
			Err(FieldError::Mismatch) => Err(Error::<T>::FieldMismatch)?,
		}
		Published::<T>::insert(commitment, position, value.clone());
		Self::deposit_event(Event::FieldPublished { commitment, position, value });
		Ok(())
	}

	/// Checks a disclosure (a field, its salt and its proof) against commitment `commitment`.
	pub fn verify_field(
		commitment: CommitmentId,
		disclosure: &FieldDisclosure,
	) -> Result<(), FieldCheckError> {
		let document =
			Commitments::<T>::get(commitment).ok_or(FieldCheckError::UnknownCommitment)?;
		Ok(fields::verify(&document.schema, &document.root, document.fields, disclosure)?)
	}

	/// What a commitment of `organization` bound to `record` is about: the record's organization,
	/// metric and region, or only `organization` when it is bound to none.
	pub(crate) fn target_of(
		organization: OrganizationId,
		record: Option<RecordId>,
	) -> Result<Target, Error<T>> {
		match record {
			Some(id) => T::Records::record(id).ok_or(Error::<T>::UnknownRecord),
			None => Ok(Target::organization(organization)),
		}
	}
}
