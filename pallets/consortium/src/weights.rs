//! The weights `pallet-consortium` needs. The runtime's are measured by `scripts/benchmark.sh`
//! from the benchmarks in `benchmarking.rs` and live in `runtime/src/weights/`; `()` is for
//! tests.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame::weights_prelude::*;

/// Weight functions needed by `pallet-consortium`.
pub trait WeightInfo {
	fn apply() -> Weight;
	fn withdraw_application() -> Weight;
	fn admit(m: u32) -> Weight;
	fn reject() -> Weight;
	fn remove_member(m: u32) -> Weight;
	fn amend_charter() -> Weight;
	fn authorize_upgrade() -> Weight;
	fn rotate_prime(m: u32) -> Weight;
}

/// For tests.
impl WeightInfo for () {
	fn apply() -> Weight {
		Weight::zero()
	}
	fn withdraw_application() -> Weight {
		Weight::zero()
	}
	fn admit(_m: u32) -> Weight {
		Weight::zero()
	}
	fn reject() -> Weight {
		Weight::zero()
	}
	fn remove_member(_m: u32) -> Weight {
		Weight::zero()
	}
	fn amend_charter() -> Weight {
		Weight::zero()
	}
	fn authorize_upgrade() -> Weight {
		Weight::zero()
	}
	fn rotate_prime(_m: u32) -> Weight {
		Weight::zero()
	}
}
