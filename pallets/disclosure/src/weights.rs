//! The weights `pallet-disclosure` needs. The runtime's are measured by `scripts/benchmark.sh`
//! from the benchmarks in `benchmarking.rs` and live in `runtime/src/weights/`; `()` is for
//! tests.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame::weights_prelude::*;

/// Weight functions needed by `pallet-disclosure`.
pub trait WeightInfo {
	fn commit() -> Weight;
	fn request_disclosure(f: u32) -> Weight;
	fn grant_disclosure() -> Weight;
	fn refuse_disclosure() -> Weight;
	fn approve_disclosure() -> Weight;
	fn revoke_disclosure() -> Weight;
	fn withdraw_request() -> Weight;
	fn purge_expired() -> Weight;
	fn publish_field(v: u32, p: u32) -> Weight;
	fn commit_value() -> Weight;
	fn prove_threshold() -> Weight;
}

/// For tests.
impl WeightInfo for () {
	fn commit() -> Weight {
		Weight::zero()
	}
	fn request_disclosure(_: u32) -> Weight {
		Weight::zero()
	}
	fn grant_disclosure() -> Weight {
		Weight::zero()
	}
	fn refuse_disclosure() -> Weight {
		Weight::zero()
	}
	fn approve_disclosure() -> Weight {
		Weight::zero()
	}
	fn revoke_disclosure() -> Weight {
		Weight::zero()
	}
	fn withdraw_request() -> Weight {
		Weight::zero()
	}
	fn purge_expired() -> Weight {
		Weight::zero()
	}
	fn publish_field(_: u32, _: u32) -> Weight {
		Weight::zero()
	}
	fn commit_value() -> Weight {
		Weight::zero()
	}
	fn prove_threshold() -> Weight {
		Weight::zero()
	}
}
