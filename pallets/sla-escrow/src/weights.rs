//! The weights `pallet-sla-escrow` needs. The runtime's are measured by `scripts/benchmark.sh`
//! from the benchmarks in `benchmarking.rs` and live in `runtime/src/weights/`; `()` is for
//! tests, with a settlement or payment weighing one unit of ref-time so that tests can bound
//! a block's work.

#![allow(unused_parens, unused_imports, missing_docs)]

use frame::weights_prelude::*;

/// Weight functions needed by `pallet-sla-escrow`.
pub trait WeightInfo {
	fn propose() -> Weight;
	fn withdraw_offer() -> Weight;
	fn accept() -> Weight;
	fn dispute() -> Weight;
	fn resolve_dispute() -> Weight;
	fn request_cancellation() -> Weight;
	fn withdraw_cancellation() -> Weight;
	fn settle(r: u32) -> Weight;
	fn pay() -> Weight;
	fn hook_base() -> Weight;
	fn hook_step() -> Weight;
}

/// For tests.
impl WeightInfo for () {
	fn propose() -> Weight {
		Weight::zero()
	}
	fn withdraw_offer() -> Weight {
		Weight::zero()
	}
	fn accept() -> Weight {
		Weight::zero()
	}
	fn dispute() -> Weight {
		Weight::zero()
	}
	fn resolve_dispute() -> Weight {
		Weight::zero()
	}
	fn request_cancellation() -> Weight {
		Weight::zero()
	}
	fn withdraw_cancellation() -> Weight {
		Weight::zero()
	}
	fn settle(_: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
	fn pay() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn hook_base() -> Weight {
		Weight::zero()
	}
	fn hook_step() -> Weight {
		Weight::zero()
	}
}
