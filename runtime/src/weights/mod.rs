//! Weights of this runtime's own pallets, measured by `scripts/benchmark.sh` with the
//! pallets' benchmarks (frame-benchmarking v2) on the reference machine.

pub mod pallet_attribution;
pub mod pallet_consortium;
pub mod pallet_disclosure;
pub mod pallet_node_authorization;
pub mod pallet_permissions;
pub mod pallet_records;
pub mod pallet_sla_escrow;
pub mod pallet_validator_set;
