//! # Node authorization benchmarks
//!
//! `pallet-node-authorization` ships no benchmarks and charges a flat 50 µs per call with no
//! database cost. This crate measures its calls, as `pallet-session-benchmarking` does for
//! `pallet-session`: a [`Pallet`] wrapper the runtime names in `define_benchmarks!`
//! (`[pallet_node_authorization, NodeAuthorizationBench::<Runtime>]`), whose output is the
//! runtime's `weights/pallet_node_authorization.rs`.
//!
//! Each call is measured at its worst: a set of well-known nodes one short of
//! `MaxWellKnownNodes`, every peer id one byte short of `MaxPeerIdLength`. The node owners'
//! own calls (`claim_node`, `add_connections`, ...) are filtered out of the Perfledger runtime;
//! they are measured too, as the pallet's `WeightInfo` needs every call, with `add_connections`
//! and `remove_connections` at `MaxWellKnownNodes` connections.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(all(test, feature = "runtime-benchmarks"))]
mod mock;

/// The pallet the benchmarks are registered under.
pub struct Pallet<T: Config>(pallet_node_authorization::Pallet<T>);

/// What the benchmarks need: the node authorization pallet's config.
pub trait Config: pallet_node_authorization::Config {}
