//! The weights `pallet-permissions` needs. The runtime's are measured by
//! `scripts/benchmark.sh` from the benchmarks in `benchmarking.rs` and live in
//! `runtime/src/weights/`; `()` is for tests.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame::weights_prelude::*;

/// Weight functions needed by `pallet-permissions`.
pub trait WeightInfo {
	fn grant_role() -> Weight;
	fn revoke_role() -> Weight;
	fn set_status() -> Weight;
	fn expire(n: u32) -> Weight;
	fn may() -> Weight;
	fn check_grant() -> Weight;
}

/// For tests.
impl WeightInfo for () {
	fn grant_role() -> Weight {
		Weight::zero()
	}
	fn revoke_role() -> Weight {
		Weight::zero()
	}
	fn set_status() -> Weight {
		Weight::zero()
	}
	fn expire(_n: u32) -> Weight {
		Weight::zero()
	}
	fn may() -> Weight {
		Weight::zero()
	}
	fn check_grant() -> Weight {
		Weight::zero()
	}
}
