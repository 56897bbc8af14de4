//! The binary Merkle tree of batch anchoring and of document commitments, specified so that any
//! client can build it:
//!
//! - a leaf is the 32-byte hash a client computes over one off-chain record; its node is
//!   `blake2_256(0x00 ++ leaf)`;
//! - an inner node is `blake2_256(0x01 ++ left ++ right)` (the prefixes keep a leaf from
//!   passing for an inner node);
//! - a level with an odd number of nodes promotes its last node unchanged to the next level;
//! - a proof lists the siblings from the leaf up, skipping the levels where the node is
//!   promoted: at most `ceil(log2(leaves))` hashes.

use crate::H256;
use alloc::vec::Vec;
use sp_crypto_hashing::blake2_256;

/// The node of a leaf.
pub fn leaf_node(leaf: &H256) -> H256 {
	let mut input = [0u8; 33];
	input[1..].copy_from_slice(leaf.as_bytes());
	H256(blake2_256(&input))
}

/// The node above `left` and `right`.
pub fn inner_node(left: &H256, right: &H256) -> H256 {
	let mut input = [0u8; 65];
	input[0] = 1;
	input[1..33].copy_from_slice(left.as_bytes());
	input[33..].copy_from_slice(right.as_bytes());
	H256(blake2_256(&input))
}

/// The root over `leaves`; `None` for no leaves.
pub fn root(leaves: &[H256]) -> Option<H256> {
	let mut level: Vec<H256> = leaves.iter().map(leaf_node).collect();
	while level.len() > 1 {
		level = level
			.chunks(2)
			.map(|pair| match pair {
				[left, right] => inner_node(left, right),
				[last] => *last,
				_ => unreachable!("chunks of two"),
			})
			.collect();
	}
	level.pop()
}

/// The proof that `leaves[index]` is in the tree; `None` if `index` is out of range.
pub fn proof(leaves: &[H256], index: u32) -> Option<Vec<H256>> {
	let mut position = index as usize;
	if position >= leaves.len() {
		return None;
	}
	let mut level: Vec<H256> = leaves.iter().map(leaf_node).collect();
	let mut siblings = Vec::new();
	while level.len() > 1 {
		let sibling = position ^ 1;
		if sibling < level.len() {
			siblings.push(level[sibling]);
		}
		level = level
			.chunks(2)
			.map(|pair| if let [l, r] = pair { inner_node(l, r) } else { pair[0] })
			.collect();
		position /= 2;
	}
	Some(siblings)
}

/// Whether `proof` shows `leaf` at `index` in a tree of `leaves` leaves with root `root`. Every
/// hash of the proof must be used: a longer or shorter proof fails.
pub fn verify(root: &H256, leaves: u32, index: u32, leaf: &H256, proof: &[H256]) -> bool {
	if index >= leaves {
		return false;
	}
	let (mut node, mut position, mut width) = (leaf_node(leaf), index, leaves);
	let mut siblings = proof.iter();
	while width > 1 {
		let promoted = position % 2 == 0 && position + 1 == width;
		if !promoted {
			let Some(sibling) = siblings.next() else { return false };
			node = if position % 2 == 0 {
				inner_node(&node, sibling)
			} else {
				inner_node(sibling, &node)
			};
		}
		position /= 2;
		width = width.div_ceil(2);
	}
	siblings.next().is_none() && node == *root
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;

	fn leaves(n: u32) -> Vec<H256> {
		(0..n).map(|i| H256(blake2_256(&(b"leaf", i).encode()))).collect()
	}

	#[test]
	fn proofs_verify_for_every_leaf_of_every_size_and_fail_for_a_changed_leaf() {
		for n in [1u32, 2, 3, 5, 8, 13, 100, 1_025] {
			let leaves = leaves(n);
			let root = super::root(&leaves).unwrap();
			let bound = (n as f64).log2().ceil() as usize;
			for (i, leaf) in leaves.iter().enumerate() {
				let proof = super::proof(&leaves, i as u32).unwrap();
				assert!(proof.len() <= bound, "n={n}: proof of {} hashes", proof.len());
				assert!(verify(&root, n, i as u32, leaf, &proof), "n={n} i={i}");
				let changed = H256(blake2_256(leaf.as_bytes()));
				assert!(!verify(&root, n, i as u32, &changed, &proof), "n={n} i={i}");
				if n > 1 {
					let other = (i as u32 + 1) % n;
					assert!(!verify(&root, n, other, leaf, &proof), "n={n} wrong index");
					let mut longer = proof.clone();
					longer.push(H256::zero());
					assert!(!verify(&root, n, i as u32, leaf, &longer));
					assert!(!verify(&root, n, i as u32, leaf, &proof[1..]));
				}
				assert!(!verify(&root, n, n, leaf, &proof), "index out of range");
			}
		}
		assert_eq!(super::root(&[]), None);
	}
}
