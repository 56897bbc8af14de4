//! The weights `pallet-records` needs. The runtime's are measured by `scripts/benchmark.sh`
//! from the benchmarks in `benchmarking.rs` and live in `runtime/src/weights/`; `()` is for
//! tests.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame::weights_prelude::*;

/// Weight functions needed by `pallet-records`.
pub trait WeightInfo {
	fn define_metric() -> Weight;
	fn revise_metric() -> Weight;
	fn retire_metric() -> Weight;
	fn submit_record(p: u32) -> Weight;
	fn correct_record() -> Weight;
	fn register_device(m: u32) -> Weight;
	fn retire_device() -> Weight;
	fn submit_device_reading(p: u32) -> Weight;
	fn anchor_batch() -> Weight;
}

/// For tests.
impl WeightInfo for () {
	fn define_metric() -> Weight {
		Weight::zero()
	}
	fn revise_metric() -> Weight {
		Weight::zero()
	}
	fn retire_metric() -> Weight {
		Weight::zero()
	}
	fn submit_record(_p: u32) -> Weight {
		Weight::zero()
	}
	fn correct_record() -> Weight {
		Weight::zero()
	}
	fn register_device(_m: u32) -> Weight {
		Weight::zero()
	}
	fn retire_device() -> Weight {
		Weight::zero()
	}
	fn submit_device_reading(_p: u32) -> Weight {
		Weight::zero()
	}
	fn anchor_batch() -> Weight {
		Weight::zero()
	}
}
