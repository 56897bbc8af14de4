//! The pallets whose weights the node's `benchmark pallet` sub-command measures.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_collective, Council]
	[pallet_membership, CouncilMembership]
	[pallet_attribution, Attribution]
	[pallet_consortium, Consortium]
	[pallet_disclosure, Disclosure]
	[pallet_permissions, Permissions]
	[pallet_records, Records]
	[pallet_sla_escrow, SlaEscrow]
	[pallet_validator_set, ValidatorSet]
	[pallet_node_authorization, NodeAuthorizationBench::<Runtime>]
);
