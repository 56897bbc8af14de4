//! PROVISIONAL weights for `pallet_attribution`: conservative upper bounds (a millisecond and
//! 100 kB of proof per call, plus the same per component) until `scripts/benchmark.sh
//! pallet_attribution` replaces this file with measured ones.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::Weight};
use core::marker::PhantomData;

/// Weight functions for `pallet_attribution`.
pub struct WeightInfo<T>(PhantomData<T>);
impl<T: frame_system::Config> pallet_attribution::WeightInfo for WeightInfo<T> {
	fn register_license() -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
	}
	fn register_artifact(p: u32, r: u32, c: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
			.saturating_add(Weight::from_parts(1_000_000_000, 100_000).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(1_000_000_000, 100_000).saturating_mul(r.into()))
			.saturating_add(Weight::from_parts(1_000_000_000, 100_000).saturating_mul(c.into()))
	}
	fn open_scoring() -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
	}
	fn commit_scores() -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
	}
	fn reveal_scores(s: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
			.saturating_add(Weight::from_parts(1_000_000_000, 100_000).saturating_mul(s.into()))
	}
	fn finalize_scores(c: u32, e: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
			.saturating_add(Weight::from_parts(1_000_000_000, 100_000).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(1_000_000_000, 100_000).saturating_mul(e.into()))
	}
	fn offer_license() -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
	}
	fn buy_license(r: u32, c: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
			.saturating_add(Weight::from_parts(1_000_000_000, 100_000).saturating_mul(r.into()))
			.saturating_add(Weight::from_parts(1_000_000_000, 100_000).saturating_mul(c.into()))
	}
	fn sponsor_milestone() -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
	}
	fn withdraw_milestone() -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
	}
	fn claim() -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
	}
	fn on_recorded(m: u32, r: u32) -> Weight {
		Weight::from_parts(1_000_000_000, 100_000)
			.saturating_add(Weight::from_parts(1_000_000_000, 100_000).saturating_mul(m.into()))
			.saturating_add(Weight::from_parts(1_000_000_000, 100_000).saturating_mul(r.into()))
	}
}
