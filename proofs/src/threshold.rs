//! Threshold proofs: a value stays hidden while a claim about it, "at most" or "at least" a
//! threshold, is proved in zero knowledge.
//!
//! - A value (an `i64`, in the metric's smallest unit) is committed as a Pedersen commitment
//!   `C = offset(v)·B + r·B'` over Ristretto (the generators of the `bulletproofs` crate), where
//!   `offset` maps `i64` onto `u64` in order ([`offset`]) and `r` is a secret random blinding.
//!   The commitment comes with a 64-bit Bulletproofs range proof that `offset(v)` is in
//!   `[0, 2^64)` ([`prove_value`]), so that it is a value and not an arbitrary scalar.
//! - "At most `t`" is a 64-bit range proof on `offset(t)·B - C`, a commitment to
//!   `offset(t) - offset(v)` with blinding `-r`; "at least `t`" on `C - offset(t)·B`. The
//!   verifier computes that commitment itself from `C` and `t`, so a proof verifies only if
//!   the difference is in `[0, 2^64)`: only if the claim is true ([`prove_threshold`],
//!   [`verify_threshold`]).
//! - Every proof is bound to a statement (the bytes of what it is about: who, metric,
//!   subject, period; the runtime defines them), and a threshold proof to its threshold and
//!   direction, through the Fiat-Shamir transcript: a proof does not verify for anything else.
//!
//! A 64-bit range proof is [`RANGE_PROOF_LEN`] (672) bytes. Verification needs a random
//! scalar to batch two checks; without a random source on chain it is drawn from a ChaCha20
//! stream seeded with a hash of everything verified (statement, commitment and proof), which
//! the prover cannot choose apart from the proof itself.

use alloc::vec::Vec;
use bulletproofs::{BulletproofGens, PedersenGens, RangeProof};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use curve25519_dalek::{
	ristretto::{CompressedRistretto, RistrettoPoint},
	scalar::Scalar,
};
use merlin::Transcript;
use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, RngCore, SeedableRng};
use scale_info::TypeInfo;
use sp_crypto_hashing::blake2_256;

/// The bits of every range proof.
pub const BITS: usize = 64;

/// The length of a 64-bit range proof, in bytes.
pub const RANGE_PROOF_LEN: usize = 672;

/// A Pedersen commitment to a value: a compressed Ristretto point.
pub type Commitment = [u8; 32];

/// Which side of the threshold a claim is on.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Direction {
	/// The value is at most the threshold (`value <= threshold`).
	AtMost,
	/// The value is at least the threshold (`value >= threshold`).
	AtLeast,
}

/// Why a proof was not made or did not verify.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum ProofError {
	/// The commitment is not a valid point, or the proof does not decode.
	Malformed,
	/// The proof does not prove the statement.
	Invalid,
	/// The claim is false for the committed value: no proof can be made.
	ClaimFalse,
}

/// Maps an `i64` onto `u64` keeping the order: `i64::MIN` to 0, 0 to 2^63, `i64::MAX` to 2^64-1.
pub fn offset(value: i64) -> u64 {
	(value as u64) ^ (1 << 63)
}

/// A committed value and its blinding: the committer's secret, which opens the commitment.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Opening {
	/// The value.
	pub value: i64,
	/// The blinding scalar, canonical little-endian bytes.
	pub blinding: [u8; 32],
}

impl Opening {
	/// An opening of `value` with a fresh random blinding.
	pub fn new<R: RngCore + CryptoRng>(value: i64, rng: &mut R) -> Self {
		Self { value, blinding: Scalar::random(rng).to_bytes() }
	}

	fn blinding(&self) -> Result<Scalar, ProofError> {
		Option::from(Scalar::from_canonical_bytes(self.blinding)).ok_or(ProofError::Malformed)
	}

	/// The Pedersen commitment this opens.
	pub fn commitment(&self) -> Result<Commitment, ProofError> {
		let point =
			PedersenGens::default().commit(Scalar::from(offset(self.value)), self.blinding()?);
		Ok(point.compress().to_bytes())
	}
}

fn transcript(kind: &'static [u8], statement: &[u8]) -> Transcript {
	let mut transcript = Transcript::new(b"perfledger-threshold-v1");
	transcript.append_message(b"kind", kind);
	transcript.append_message(b"statement", statement);
	transcript
}

fn threshold_transcript(statement: &[u8], threshold: i64, direction: Direction) -> Transcript {
	let mut transcript = transcript(b"threshold", statement);
	transcript.append_u64(b"threshold", offset(threshold));
	transcript.append_message(b"direction", &direction.encode());
	transcript
}

fn prove<R: RngCore + CryptoRng>(
	mut transcript: Transcript,
	secret: u64,
	blinding: &Scalar,
	rng: &mut R,
) -> Vec<u8> {
	let (proof, _) = RangeProof::prove_single_with_rng(
		&BulletproofGens::new(BITS, 1),
		&PedersenGens::default(),
		&mut transcript,
		secret,
		blinding,
		BITS,
		rng,
	)
	.expect("64 bits and generators for 64 bits: the only errors are a wrong size");
	proof.to_bytes()
}

fn verify(
	mut transcript: Transcript,
	seed_parts: &[&[u8]],
	commitment: &CompressedRistretto,
	proof: &[u8],
) -> Result<(), ProofError> {
	if proof.len() != RANGE_PROOF_LEN {
		return Err(ProofError::Malformed);
	}
	let proof = RangeProof::from_bytes(proof).map_err(|_| ProofError::Malformed)?;
	let seed = blake2_256(&seed_parts.concat());
	proof
		.verify_single_with_rng(
			&BulletproofGens::new(BITS, 1),
			&PedersenGens::default(),
			&mut transcript,
			commitment,
			BITS,
			&mut ChaCha20Rng::from_seed(seed),
		)
		.map_err(|_| ProofError::Invalid)
}

fn point(commitment: &Commitment) -> Result<RistrettoPoint, ProofError> {
	CompressedRistretto(*commitment).decompress().ok_or(ProofError::Malformed)
}

/// The statement Perfledger binds a committed value's proofs to: the organization, metric,
/// subject and reporting period it is about (SCALE-encoded after a domain tag).
pub fn statement(organization: u32, metric: u32, subject: &[u8], period: u64) -> Vec<u8> {
	(b"perfledger/value", organization, metric, subject, period).encode()
}

/// Proves that `opening` commits to a 64-bit value, for `statement`.
pub fn prove_value<R: RngCore + CryptoRng>(
	opening: &Opening,
	statement: &[u8],
	rng: &mut R,
) -> Result<Vec<u8>, ProofError> {
	Ok(prove(transcript(b"value", statement), offset(opening.value), &opening.blinding()?, rng))
}

/// Checks that `commitment` commits to a 64-bit value, for `statement`.
pub fn verify_value(
	commitment: &Commitment,
	statement: &[u8],
	proof: &[u8],
) -> Result<(), ProofError> {
	point(commitment)?;
	let seed = [b"value".as_slice(), statement, commitment, proof];
	verify(transcript(b"value", statement), &seed, &CompressedRistretto(*commitment), proof)
}

/// Proves that the value `opening` commits to is on `direction`'s side of `threshold`, for
/// `statement`. [`ProofError::ClaimFalse`] if it is not.
pub fn prove_threshold<R: RngCore + CryptoRng>(
	opening: &Opening,
	threshold: i64,
	direction: Direction,
	statement: &[u8],
	rng: &mut R,
) -> Result<Vec<u8>, ProofError> {
	let (value, threshold_offset) = (offset(opening.value), offset(threshold));
	let blinding = opening.blinding()?;
	let (difference, blinding) = match direction {
		Direction::AtMost => (threshold_offset.checked_sub(value), -blinding),
		Direction::AtLeast => (value.checked_sub(threshold_offset), blinding),
	};
	let difference = difference.ok_or(ProofError::ClaimFalse)?;
	let transcript = threshold_transcript(statement, threshold, direction);
	Ok(prove(transcript, difference, &blinding, rng))
}

/// The commitment to the difference a threshold proof is about, computed from the value's.
fn difference(commitment: &RistrettoPoint, threshold: i64, direction: Direction) -> RistrettoPoint {
	let threshold = PedersenGens::default().B * Scalar::from(offset(threshold));
	match direction {
		Direction::AtMost => threshold - commitment,
		Direction::AtLeast => commitment - threshold,
	}
}

/// Checks that the value `commitment` commits to is on `direction`'s side of `threshold`, for
/// `statement`.
pub fn verify_threshold(
	commitment: &Commitment,
	threshold: i64,
	direction: Direction,
	statement: &[u8],
	proof: &[u8],
) -> Result<(), ProofError> {
	let difference = difference(&point(commitment)?, threshold, direction).compress();
	let claim = (threshold, direction).encode();
	let seed = [b"threshold".as_slice(), statement, commitment, &claim, proof];
	let transcript = threshold_transcript(statement, threshold, direction);
	verify(transcript, &seed, &difference, proof)
}

#[cfg(test)]
mod tests {
	use super::*;
	use rand_core::OsRng;
	use Direction::*;

	const STATEMENT: &[u8] = b"Acme, CO2 tonnes, plant 7, Q3";

	#[test]
	fn true_claims_verify_on_both_sides_of_zero_and_at_the_threshold() {
		for value in [i64::MIN, -500, -1, 0, 1, 95, 1_000_000, i64::MAX] {
			let opening = Opening::new(value, &mut OsRng);
			let commitment = opening.commitment().unwrap();
			let proof = prove_value(&opening, STATEMENT, &mut OsRng).unwrap();
			assert_eq!(proof.len(), RANGE_PROOF_LEN);
			assert_eq!(verify_value(&commitment, STATEMENT, &proof), Ok(()), "{value}");
			for (threshold, direction) in [(value, AtMost), (value, AtLeast)]
				.into_iter()
				.chain(value.checked_add(1).map(|t| (t, AtMost)))
				.chain(value.checked_sub(7).map(|t| (t, AtLeast)))
			{
				let proof =
					prove_threshold(&opening, threshold, direction, STATEMENT, &mut OsRng).unwrap();
				assert_eq!(proof.len(), RANGE_PROOF_LEN);
				let verified =
					verify_threshold(&commitment, threshold, direction, STATEMENT, &proof);
				assert_eq!(verified, Ok(()), "{value} {direction:?} {threshold}");
			}
		}
	}

	#[test]
	fn a_false_claim_cannot_be_proved_nor_forged() {
		let opening = Opening::new(96, &mut OsRng);
		let commitment = opening.commitment().unwrap();
		assert_eq!(
			prove_threshold(&opening, 95, AtMost, STATEMENT, &mut OsRng),
			Err(ProofError::ClaimFalse)
		);
		assert_eq!(
			prove_threshold(&opening, 97, AtLeast, STATEMENT, &mut OsRng),
			Err(ProofError::ClaimFalse)
		);

		// A prover that ignores the check proves the wrapped-around difference: it commits to
		// another point than the one the verifier derives, so it fails.
		let blinding = -opening.blinding().unwrap();
		let wrapped = offset(95).wrapping_sub(offset(96));
		let forged =
			prove(threshold_transcript(STATEMENT, 95, AtMost), wrapped, &blinding, &mut OsRng);
		assert_eq!(
			verify_threshold(&commitment, 95, AtMost, STATEMENT, &forged),
			Err(ProofError::Invalid)
		);

		// A true proof does not carry over to a tighter threshold or the other direction.
		let proof = prove_threshold(&opening, 100, AtMost, STATEMENT, &mut OsRng).unwrap();
		assert_eq!(verify_threshold(&commitment, 100, AtMost, STATEMENT, &proof), Ok(()));
		for (threshold, direction) in [(95, AtMost), (96, AtMost), (100, AtLeast), (101, AtMost)] {
			let verified = verify_threshold(&commitment, threshold, direction, STATEMENT, &proof);
			assert_eq!(verified, Err(ProofError::Invalid), "{direction:?} {threshold}");
		}
	}

	#[test]
	fn proofs_are_bound_to_their_statement_and_commitment() {
		let opening = Opening::new(42, &mut OsRng);
		let commitment = opening.commitment().unwrap();
		let other = Opening::new(42, &mut OsRng).commitment().unwrap();
		let value = prove_value(&opening, STATEMENT, &mut OsRng).unwrap();
		let claim = prove_threshold(&opening, 50, AtMost, STATEMENT, &mut OsRng).unwrap();
		let elsewhere = b"Acme, CO2 tonnes, plant 7, Q4";

		assert_eq!(verify_value(&commitment, elsewhere, &value), Err(ProofError::Invalid));
		assert_eq!(verify_value(&other, STATEMENT, &value), Err(ProofError::Invalid));
		assert_eq!(verify_value(&commitment, STATEMENT, &claim), Err(ProofError::Invalid));
		assert_eq!(
			verify_threshold(&commitment, 50, AtMost, elsewhere, &claim),
			Err(ProofError::Invalid)
		);
		assert_eq!(
			verify_threshold(&other, 50, AtMost, STATEMENT, &claim),
			Err(ProofError::Invalid)
		);

		let mut flipped = claim.clone();
		flipped[300] ^= 1;
		assert!(verify_threshold(&commitment, 50, AtMost, STATEMENT, &flipped).is_err());
		assert_eq!(
			verify_threshold(&commitment, 50, AtMost, STATEMENT, &claim[1..]),
			Err(ProofError::Malformed)
		);
		assert_eq!(verify_value(&[0xff; 32], STATEMENT, &value), Err(ProofError::Malformed));
	}

	#[test]
	fn offset_keeps_the_order() {
		let values = [i64::MIN, -2, -1, 0, 1, i64::MAX];
		assert!(values.windows(2).all(|w| offset(w[0]) < offset(w[1])));
		assert_eq!((offset(i64::MIN), offset(0), offset(i64::MAX)), (0, 1 << 63, u64::MAX));
	}
}
