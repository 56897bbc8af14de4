//! The weights `pallet-attribution` needs. The runtime's are measured by `scripts/benchmark.sh`
//! from the benchmarks in `benchmarking.rs` and live in `runtime/src/weights/`; `()` is for
//! tests.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame::weights_prelude::*;

/// Weight functions needed by `pallet-attribution`.
pub trait WeightInfo {
	fn register_license() -> Weight;
	fn register_artifact(p: u32, r: u32, c: u32) -> Weight;
	fn open_scoring() -> Weight;
	fn commit_scores() -> Weight;
	fn reveal_scores(s: u32) -> Weight;
	fn finalize_scores(c: u32, e: u32) -> Weight;
	fn offer_license() -> Weight;
	fn buy_license(r: u32, c: u32) -> Weight;
	fn sponsor_milestone() -> Weight;
	fn withdraw_milestone() -> Weight;
	fn claim() -> Weight;
	fn on_recorded(m: u32, r: u32) -> Weight;
}

/// For tests.
impl WeightInfo for () {
	fn register_license() -> Weight {
		Weight::zero()
	}
	fn register_artifact(_p: u32, _r: u32, _c: u32) -> Weight {
		Weight::zero()
	}
	fn open_scoring() -> Weight {
		Weight::zero()
	}
	fn commit_scores() -> Weight {
		Weight::zero()
	}
	fn reveal_scores(_s: u32) -> Weight {
		Weight::zero()
	}
	fn finalize_scores(_c: u32, _e: u32) -> Weight {
		Weight::zero()
	}
	fn offer_license() -> Weight {
		Weight::zero()
	}
	fn buy_license(_r: u32, _c: u32) -> Weight {
		Weight::zero()
	}
	fn sponsor_milestone() -> Weight {
		Weight::zero()
	}
	fn withdraw_milestone() -> Weight {
		Weight::zero()
	}
	fn claim() -> Weight {
		Weight::zero()
	}
	fn on_recorded(_m: u32, _r: u32) -> Weight {
		Weight::zero()
	}
}
