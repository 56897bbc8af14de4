//! The benchmarks (frame-benchmarking v2).

use super::*;
use alloc::{collections::BTreeSet, vec, vec::Vec};
use frame::{benchmarking::prelude::*, deps::sp_core::OpaquePeerId as PeerId};
use pallet_node_authorization::{
	AdditionalConnections, Owners, Pallet as NodeAuthorization, WellKnownNodes,
};

/// A peer id one byte short of `MaxPeerIdLength` (the longest the pallet accepts), distinct per
/// `i`.
fn peer<T: Config>(i: u32) -> PeerId {
	let len = (T::MaxPeerIdLength::get() as usize).saturating_sub(1).max(4);
	let mut id = vec![0xab; len];
	id[..4].copy_from_slice(&i.to_le_bytes());
	PeerId(id)
}

/// Fills the well-known set one short of `MaxWellKnownNodes` (the most `add_well_known_node`
/// allows before adding), each node owned by `owner`; returns the nodes.
fn fill<T: Config>(owner: &T::AccountId) -> Vec<PeerId> {
	let nodes: Vec<PeerId> =
		(0..T::MaxWellKnownNodes::get().saturating_sub(1)).map(peer::<T>).collect();
	WellKnownNodes::<T>::put(nodes.iter().cloned().collect::<BTreeSet<_>>());
	for node in &nodes {
		Owners::<T>::insert(node, owner);
	}
	nodes
}

/// `MaxWellKnownNodes` peer ids not in the well-known set, as connections.
fn connections<T: Config>() -> Vec<PeerId> {
	(0..T::MaxWellKnownNodes::get()).map(|i| peer::<T>(1_000_000 + i)).collect()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_well_known_node() -> Result<(), BenchmarkError> {
		let owner: T::AccountId = account("owner", 0, 0);
		fill::<T>(&owner);
		let origin =
			T::AddOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let new = peer::<T>(u32::MAX);
		let lookup = T::Lookup::unlookup(owner.clone());

		#[block]
		{
			NodeAuthorization::<T>::add_well_known_node(origin, new.clone(), lookup)?;
		}

		assert_eq!(Owners::<T>::get(&new), Some(owner));
		Ok(())
	}

	#[benchmark]
	fn remove_well_known_node() -> Result<(), BenchmarkError> {
		let owner: T::AccountId = account("owner", 0, 0);
		let nodes = fill::<T>(&owner);
		let node = nodes.last().cloned().ok_or(BenchmarkError::Weightless)?;
		AdditionalConnections::<T>::insert(
			&node,
			connections::<T>().into_iter().collect::<BTreeSet<_>>(),
		);
		let origin =
			T::RemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[block]
		{
			NodeAuthorization::<T>::remove_well_known_node(origin, node.clone())?;
		}

		assert!(!WellKnownNodes::<T>::get().contains(&node));
		Ok(())
	}

	#[benchmark]
	fn swap_well_known_node() -> Result<(), BenchmarkError> {
		let owner: T::AccountId = account("owner", 0, 0);
		let nodes = fill::<T>(&owner);
		let old = nodes.last().cloned().ok_or(BenchmarkError::Weightless)?;
		AdditionalConnections::<T>::insert(
			&old,
			connections::<T>().into_iter().collect::<BTreeSet<_>>(),
		);
		let new = peer::<T>(u32::MAX);
		let origin =
			T::SwapOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[block]
		{
			NodeAuthorization::<T>::swap_well_known_node(origin, old.clone(), new.clone())?;
		}

		assert_eq!(Owners::<T>::get(&new), Some(owner));
		Ok(())
	}

	#[benchmark]
	fn reset_well_known_nodes() -> Result<(), BenchmarkError> {
		let owner: T::AccountId = account("owner", 0, 0);
		fill::<T>(&owner);
		let other: T::AccountId = account("other", 0, 0);
		let nodes: Vec<(PeerId, T::AccountId)> = (0..T::MaxWellKnownNodes::get().saturating_sub(1))
			.map(|i| (peer::<T>(2_000_000 + i), other.clone()))
			.collect();
		let origin =
			T::ResetOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[block]
		{
			NodeAuthorization::<T>::reset_well_known_nodes(origin, nodes.clone())?;
		}

		assert_eq!(WellKnownNodes::<T>::get().len(), nodes.len());
		Ok(())
	}

	#[benchmark]
	fn claim_node() -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let node = peer::<T>(u32::MAX);

		#[block]
		{
			NodeAuthorization::<T>::claim_node(
				RawOrigin::Signed(caller.clone()).into(),
				node.clone(),
			)?;
		}

		assert_eq!(Owners::<T>::get(&node), Some(caller));
		Ok(())
	}

	#[benchmark]
	fn remove_claim() -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		fill::<T>(&caller);
		let node = peer::<T>(u32::MAX);
		Owners::<T>::insert(&node, &caller);
		AdditionalConnections::<T>::insert(
			&node,
			connections::<T>().into_iter().collect::<BTreeSet<_>>(),
		);

		#[block]
		{
			NodeAuthorization::<T>::remove_claim(RawOrigin::Signed(caller).into(), node.clone())?;
		}

		assert!(Owners::<T>::get(&node).is_none());
		Ok(())
	}

	#[benchmark]
	fn transfer_node() -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let node = peer::<T>(u32::MAX);
		Owners::<T>::insert(&node, &caller);
		let to: T::AccountId = account("to", 0, 0);
		let lookup = T::Lookup::unlookup(to.clone());

		#[block]
		{
			NodeAuthorization::<T>::transfer_node(
				RawOrigin::Signed(caller).into(),
				node.clone(),
				lookup,
			)?;
		}

		assert_eq!(Owners::<T>::get(&node), Some(to));
		Ok(())
	}

	#[benchmark]
	fn add_connections() -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let node = peer::<T>(u32::MAX);
		Owners::<T>::insert(&node, &caller);
		let connections = connections::<T>();

		#[block]
		{
			NodeAuthorization::<T>::add_connections(
				RawOrigin::Signed(caller).into(),
				node.clone(),
				connections.clone(),
			)?;
		}

		assert_eq!(AdditionalConnections::<T>::get(&node).len(), connections.len());
		Ok(())
	}

	#[benchmark]
	fn remove_connections() -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let node = peer::<T>(u32::MAX);
		Owners::<T>::insert(&node, &caller);
		let connections = connections::<T>();
		AdditionalConnections::<T>::insert(
			&node,
			connections.iter().cloned().collect::<BTreeSet<_>>(),
		);

		#[block]
		{
			NodeAuthorization::<T>::remove_connections(
				RawOrigin::Signed(caller).into(),
				node.clone(),
				connections,
			)?;
		}

		assert!(AdditionalConnections::<T>::get(&node).is_empty());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
