//! # Perfledger proofs
//!
//! What a party needs to disclose performance data selectively, and what the runtime needs to
//! check it: one crate, so that the client that makes a proof and the chain that checks it use
//! the same encoding. It is `no_std` (the runtime builds it for Wasm); making proofs needs a
//! cryptographic random number generator, which the caller passes in.
//!
//! - [`merkle`]: the binary Merkle tree of batch anchoring and of document commitments.
//! - [`fields`]: a document committed as the Merkle root of its salted, position-bound fields;
//!   a field disclosed with its salt and proof, checked against the root.
//! - [`threshold`]: a value committed as a Pedersen commitment with a 64-bit range proof; a
//!   claim "at most" or "at least" a threshold proved in zero knowledge with a Bulletproofs
//!   range proof.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod fields;
pub mod merkle;
pub mod threshold;

/// A 32-byte hash (BLAKE2b-256), the same type as the runtime's `H256`.
pub use primitive_types::H256;

/// The operating system's random number generator, of the `rand_core` version the proofs
/// take: what a client passes to make salts, blindings and proofs.
#[cfg(feature = "std")]
pub use rand_core::{OsRng, RngCore};
