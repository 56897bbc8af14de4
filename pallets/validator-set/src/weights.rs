//! The weights `pallet-validator-set` needs. The runtime's are measured by `scripts/benchmark.sh`
//! from the benchmarks in `benchmarking.rs` and live in `runtime/src/weights/`; `()` is for
//! tests.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame::weights_prelude::*;

/// Weight functions needed by `pallet-validator-set`.
pub trait WeightInfo {
	fn add_validator(v: u32) -> Weight;
	fn remove_validator(v: u32) -> Weight;
	fn set_min_validators() -> Weight;
	fn recover_finality() -> Weight;
	fn purge_keys() -> Weight;
}

/// For tests: every call weighs nothing beyond its database accesses.
impl WeightInfo for () {
	fn add_validator(_v: u32) -> Weight {
		Weight::zero()
	}
	fn remove_validator(_v: u32) -> Weight {
		Weight::zero()
	}
	fn set_min_validators() -> Weight {
		Weight::zero()
	}
	fn recover_finality() -> Weight {
		Weight::zero()
	}
	fn purge_keys() -> Weight {
		Weight::zero()
	}
}
