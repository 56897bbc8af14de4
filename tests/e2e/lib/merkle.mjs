// The batch Merkle tree of pallets/records/src/merkle.rs, for clients: a leaf node is
// blake2_256(0x00 ++ leaf), an inner node blake2_256(0x01 ++ left ++ right), a level with an
// odd number of nodes promotes its last one, a proof lists the siblings from the leaf up.

import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

const leafNode = (leaf) => blake2AsU8a(u8aConcat(new Uint8Array([0]), leaf), 256);
const innerNode = (left, right) => blake2AsU8a(u8aConcat(new Uint8Array([1]), left, right), 256);

/** Every level of the tree over `leaves` (32-byte Uint8Arrays), leaves' nodes first. */
export function buildTree(leaves) {
  const levels = [leaves.map(leafNode)];
  while (levels[levels.length - 1].length > 1) {
    const level = levels[levels.length - 1];
    const next = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? innerNode(level[i], level[i + 1]) : level[i]);
    }
    levels.push(next);
  }
  return levels;
}

/** The root of a tree from `buildTree`, as hex. */
export const rootOf = (levels) => u8aToHex(levels[levels.length - 1][0]);

/** The proof of leaf `index` in a tree from `buildTree`, as hex hashes. */
export function proofOf(levels, index) {
  const proof = [];
  let position = index;
  for (const level of levels.slice(0, -1)) {
    const sibling = position ^ 1;
    if (sibling < level.length) proof.push(u8aToHex(level[sibling]));
    position >>= 1;
  }
  return proof;
}
