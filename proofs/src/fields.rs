//! Documents committed field by field, so that each field can be disclosed on its own.
//!
//! A document is a list of fields (byte strings; how a value is encoded is the schema's
//! business) under a schema, named by the hash of its description ([`schema_hash`]). Each
//! field gets its own 32-byte random salt. Its leaf is
//!
//! ```text
//! leaf(i) = blake2_256(schema_hash ++ u32_le(i) ++ salt_i ++ value_i)
//! ```
//!
//! and the commitment is the [`merkle`](crate::merkle) root over the leaves in order, stored on
//! chain with the schema hash and the number of fields. So a field:
//! - cannot be guessed from its leaf (the salt is secret until disclosed);
//! - cannot be moved: its position is in its leaf, and the proof's path is fixed by the
//!   position and the number of fields;
//! - cannot be duplicated or presented under another schema: equal values at two positions, or
//!   under two schemas, have unrelated leaves.
//!
//! A [`FieldDisclosure`] (position, value, salt, sibling hashes) is what the owner hands to a
//! party it grants the field to; [`verify`] checks it. For a 32-field document the proof is 5
//! hashes: the disclosure encodes to 198 bytes plus the value.

use crate::{merkle, H256};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use rand_core::{CryptoRng, RngCore};
use scale_info::TypeInfo;
use sp_crypto_hashing::blake2_256;

/// A field's secret salt.
pub type Salt = [u8; 32];

/// The hash that names a schema: `blake2_256` of its description (for example the JSON of
/// its field names and encodings).
pub fn schema_hash(description: &[u8]) -> H256 {
	H256(blake2_256(description))
}

/// The leaf of the field at `position`.
pub fn leaf(schema: &H256, position: u32, salt: &Salt, value: &[u8]) -> H256 {
	let mut input = Vec::with_capacity(32 + 4 + 32 + value.len());
	input.extend_from_slice(schema.as_bytes());
	input.extend_from_slice(&position.to_le_bytes());
	input.extend_from_slice(salt);
	input.extend_from_slice(value);
	H256(blake2_256(&input))
}

/// One field of a committed document, disclosed: enough to check it against the commitment.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct FieldDisclosure {
	/// The field's position in the document, from 0.
	pub position: u32,
	/// The field's value.
	pub value: Vec<u8>,
	/// The field's salt.
	pub salt: Salt,
	/// The sibling hashes from the field's leaf up to the root.
	pub proof: Vec<H256>,
}

/// Why a disclosed field does not match a commitment.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum FieldError {
	/// The document has no field at this position.
	PositionOutOfRange,
	/// The value, salt, position or proof is not the committed one.
	Mismatch,
}

/// Checks a disclosed field against a commitment (`root` over `fields` fields under `schema`).
pub fn verify(
	schema: &H256,
	root: &H256,
	fields: u32,
	disclosure: &FieldDisclosure,
) -> Result<(), FieldError> {
	if disclosure.position >= fields {
		return Err(FieldError::PositionOutOfRange);
	}
	let leaf = leaf(schema, disclosure.position, &disclosure.salt, &disclosure.value);
	merkle::verify(root, fields, disclosure.position, &leaf, &disclosure.proof)
		.then_some(())
		.ok_or(FieldError::Mismatch)
}

/// A document with its salts: the owner's secret, from which it commits and discloses.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Document {
	schema: H256,
	fields: Vec<(Salt, Vec<u8>)>,
}

impl Document {
	/// Salts each field with `rng`. `None` for a document without fields.
	pub fn new<R: RngCore + CryptoRng>(
		schema: H256,
		values: Vec<Vec<u8>>,
		rng: &mut R,
	) -> Option<Self> {
		let fields = values
			.into_iter()
			.map(|value| {
				let mut salt = Salt::default();
				rng.fill_bytes(&mut salt);
				(salt, value)
			})
			.collect::<Vec<_>>();
		Self::with_salts(schema, fields)
	}

	/// A document whose fields were salted before (as stored by the owner).
	pub fn with_salts(schema: H256, fields: Vec<(Salt, Vec<u8>)>) -> Option<Self> {
		(!fields.is_empty()).then_some(Self { schema, fields })
	}

	/// The schema's hash.
	pub fn schema(&self) -> H256 {
		self.schema
	}

	/// The number of fields.
	pub fn len(&self) -> u32 {
		self.fields.len() as u32
	}

	/// Whether there are no fields (never true: a document has at least one).
	pub fn is_empty(&self) -> bool {
		self.fields.is_empty()
	}

	fn leaves(&self) -> Vec<H256> {
		let schema = &self.schema;
		self.fields
			.iter()
			.enumerate()
			.map(|(i, (salt, value))| leaf(schema, i as u32, salt, value))
			.collect()
	}

	/// The commitment: the Merkle root over the fields' leaves.
	pub fn root(&self) -> H256 {
		merkle::root(&self.leaves()).expect("a document has at least one field")
	}

	/// The disclosure of the field at `position`; `None` if there is none.
	pub fn disclose(&self, position: u32) -> Option<FieldDisclosure> {
		let (salt, value) = self.fields.get(position as usize)?;
		let proof = merkle::proof(&self.leaves(), position)?;
		Some(FieldDisclosure { position, value: value.clone(), salt: *salt, proof })
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use rand_core::OsRng;

	fn document(n: u32) -> Document {
		let values = (0..n).map(|i| alloc::format!("value {i}").into_bytes()).collect();
		Document::new(schema_hash(b"test schema"), values, &mut OsRng).unwrap()
	}

	#[test]
	fn every_field_of_documents_of_several_sizes_round_trips() {
		for n in [1u32, 2, 3, 7, 32, 33, 100] {
			let document = document(n);
			let root = document.root();
			for i in 0..n {
				let disclosure = document.disclose(i).unwrap();
				let decoded = FieldDisclosure::decode(&mut &disclosure.encode()[..]).unwrap();
				assert_eq!(verify(&document.schema(), &root, n, &decoded), Ok(()), "n={n} i={i}");
			}
			assert!(document.disclose(n).is_none());
		}
	}

	#[test]
	fn every_tampering_fails() {
		let document = document(32);
		let (schema, root, n) = (document.schema(), document.root(), document.len());
		let good = document.disclose(5).unwrap();
		let check = |d: &FieldDisclosure| verify(&schema, &root, n, d);
		assert_eq!(check(&good), Ok(()));

		let mut value = good.clone();
		value.value = b"value 6".to_vec();
		let mut salt = good.clone();
		salt.salt[0] ^= 1;
		let mut position = good.clone();
		position.position = 4;
		let mut sibling = good.clone();
		sibling.proof[2] = H256::repeat_byte(7);
		let mut short = good.clone();
		short.proof.pop();
		let mut long = good.clone();
		long.proof.push(H256::zero());
		// Another field's value, salt and proof, presented at this position.
		let mut moved = document.disclose(6).unwrap();
		moved.position = 5;
		for (what, d) in [
			("value", value),
			("salt", salt),
			("position", position),
			("sibling", sibling),
			("short proof", short),
			("long proof", long),
			("moved field", moved),
		] {
			assert_eq!(check(&d), Err(FieldError::Mismatch), "{what}");
		}
		// The right field under another schema or against another document's root.
		assert_eq!(verify(&schema_hash(b"other"), &root, n, &good), Err(FieldError::Mismatch));
		assert_eq!(
			verify(&schema, &self::document(32).root(), n, &good),
			Err(FieldError::Mismatch)
		);
		// Out of range, or claimed in a document of another size.
		let mut beyond = good.clone();
		beyond.position = n;
		assert_eq!(check(&beyond), Err(FieldError::PositionOutOfRange));
		assert_eq!(verify(&schema, &root, 64, &good), Err(FieldError::Mismatch));
	}

	#[test]
	fn equal_values_have_unrelated_leaves() {
		let schema = schema_hash(b"s");
		let values = alloc::vec![b"same".to_vec(), b"same".to_vec()];
		let document = Document::new(schema, values, &mut OsRng).unwrap();
		let [a, b] = [0, 1].map(|i| document.disclose(i).unwrap());
		assert_ne!(a.salt, b.salt);
		assert_ne!(leaf(&schema, 0, &a.salt, &a.value), leaf(&schema, 1, &a.salt, &a.value));
		assert!(Document::new(schema, alloc::vec![], &mut OsRng).is_none());
	}

	#[test]
	fn a_32_field_disclosure_is_five_hashes() {
		let disclosure = document(32).disclose(17).unwrap();
		assert_eq!(disclosure.proof.len(), 5);
		// position (4) + value length prefix (1) + value + salt (32) + proof length (1) + 5 x 32
		assert_eq!(disclosure.encode().len(), 4 + 1 + disclosure.value.len() + 32 + 1 + 160);
	}
}
