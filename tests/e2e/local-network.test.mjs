// The four validators of the `local` chain as real processes on loopback: blocks from more
// than one author, GRANDPA finality, a signed transaction finalized, finality that survives
// one validator down (three of four voters are more than two thirds) and stops with two down
// while blocks are still produced. Then the two come back with their keystores lost: their
// new session keys reach the runtime's GRANDPA set, but the old set's two voters left cannot
// finalize that change, so finality stays stalled until the council's motion
// (`validatorSet.recoverFinality`) forces GRANDPA onto the new keys; then all four finalize.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { startNetwork } from './lib/network.mjs';
import { connect, followHeads, authorOf, withinBlocks } from './lib/chain.mjs';
import { councilMotion, submit, track } from './lib/council.mjs';

/** Blocks per session (`SESSION_PERIOD` in runtime/src/configs/governance.rs). */
const SESSION_BLOCKS = 10;
/** The `delay` the council gives the forced GRANDPA change, in blocks after the boundary. */
const RECOVERY_DELAY = 2;

/**
 * Runs `use(provider)` over a connection of its own to `node` (for the RPCs of that node
 * itself: its keystore, its finalized head), bounded in blocks of `api`'s chain, and
 * disconnects either way: a provider retries its connection forever.
 */
async function withNode(api, node, use, abort) {
  const provider = new WsProvider(node.wsUrl);
  try {
    await withinBlocks(api, provider.isReady, { abort, what: `connecting to ${node.name}'s node` });
    return await withinBlocks(api, use(provider), { abort, what: `RPC on ${node.name}'s node` });
  } finally {
    await provider.disconnect();
  }
}

describe('local network: four validators', () => {
  let network;
  let api;

  before(async () => {
    await cryptoWaitReady();
    network = await startNetwork({
      chain: 'local',
      names: ['alice', 'bob', 'charlie', 'dave'],
      portBase: 31000,
    });
    // Charlie's node serves the client, so that stopping Dave later leaves it connected.
    api = await connect(network.node('charlie').wsUrl);
  });

  after(async () => {
    await api?.disconnect();
    await network?.stop();
  });

  test('blocks are authored by more than one validator and finalized by GRANDPA', async () => {
    const authors = new Set();
    await followHeads(api, 'best', async (header) => {
      const author = await authorOf(api, header);
      if (author) authors.add(author);
      return authors.size >= 2;
    }, network.crashed());
    const finalized = await followHeads(api, 'finalized', (h) => h.number.toNumber() >= 2, network.crashed());
    assert.ok(finalized.number.toNumber() >= 2);
    assert.ok(authors.size >= 2, `authors seen: ${[...authors]}`);
  });

  test('a signed transfer submitted through RPC is finalized', async () => {
    const keyring = new Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
    const recipient = keyring.addFromUri(mnemonicGenerate());
    const amount = 10n ** 12n; // one PLG

    // Finalized within INCLUSION_BLOCKS best blocks, or the test fails (as soon as a node exits).
    const { events, block: finalizedIn } = await track(api, api.tx.balances.transferKeepAlive(recipient.address, amount),
      alice, { until: 'finalized', abort: network.crashed() });
    assert.ok(events.some((event) => api.events.system.ExtrinsicSuccess.is(event)), 'finalized with ExtrinsicSuccess');
    const account = await (await api.at(finalizedIn)).query.system.account(recipient.address);
    assert.equal(account.data.free.toBigInt(), amount);
  });

  test('finality still advances with one of the four validators down', async () => {
    await network.stopNode('dave');
    const stoppedAt = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    const finalized = await followHeads(api, 'finalized', (h) => h.number.toNumber() >= stoppedAt + 3,
      network.crashed(['alice', 'bob', 'charlie']));
    assert.ok(finalized.number.toNumber() >= stoppedAt + 3);
  });

  test('with two of the four down, blocks are still produced but nothing more is finalized', async () => {
    await network.stopNode('bob');
    const alive = network.crashed(['alice', 'charlie']);
    const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
    const finalizedNumber = async () =>
      (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

    // Let a GRANDPA round that Bob voted in before stopping complete.
    const settled = (await bestNumber()) + 2;
    await followHeads(api, 'best', (h) => h.number.toNumber() >= settled, alive);
    const finalizedBefore = await finalizedNumber();
    const target = (await bestNumber()) + 5;
    await followHeads(api, 'best', (h) => h.number.toNumber() >= target, alive);
    assert.equal(await finalizedNumber(), finalizedBefore, 'two voters of four cannot finalize');
  });

  test("two validators back with their keystores lost: the council's motion restarts finality", async () => {
    const keyring = new Keyring({ type: 'sr25519' });
    // The `local` preset's council (three of its four founders are a majority), and the
    // validators' accounts: each founder's own account, which registered its session keys.
    const council = ['//Alice', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri));
    const owners = { bob: keyring.addFromUri('//Bob'), dave: keyring.addFromUri('//Dave') };
    const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
    const finalizedNumber = async () =>
      (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    const stalledAt = await finalizedNumber();

    // Bob's and Dave's machines come back with their databases but not their keys: validators
    // with empty keystores.
    for (const name of Object.keys(owners)) await network.restartNode(name, { devKeys: false });
    const all = network.crashed(['alice', 'bob', 'charlie', 'dave']);

    // Each operator has its node make new session keys, with a proof that the validator's
    // account owns them, and sets them from that account.
    const grandpaKeys = [];
    for (const [name, owner] of Object.entries(owners)) {
      const generated = await withNode(api, network.node(name),
        (provider) => provider.send('author_rotateKeysWithOwner', [u8aToHex(owner.publicKey)]), all);
      await submit(api, api.tx.session.setKeys(generated.keys, generated.proof), owner, { abort: all });
      // The keys' type as the metadata names it (polkadot.js has no `SessionKeys` of its own).
      grandpaKeys.push(api.createType(api.tx.session.setKeys.meta.args[0].type.toString(), generated.keys).grandpa);
    }

    // Keys set in session N are queued at the next boundary and active at the one after: then
    // the runtime's GRANDPA set holds them, as a standard change that must be finalized.
    const active = await followHeads(api, 'best', async (header) => {
      const voters = await (await api.at(header.hash)).call.grandpaApi.grandpaAuthorities();
      return grandpaKeys.every((key) => voters.some(([id]) => id.eq(key)));
    }, all, 3 * SESSION_BLOCKS);

    // Only the old set can finalize that change, and two of its four voters are gone for good:
    // without the council, nothing more is finalized.
    const target = active.number.toNumber() + 5;
    await followHeads(api, 'best', (h) => h.number.toNumber() >= target, all);
    assert.equal(await finalizedNumber(), stalledAt, 'the new keys alone do not restart finality');

    // The highest block any node finalized: the new voters build on it.
    let bestFinalized = 0;
    for (const node of network.nodes) {
      const number = await withNode(api, node, async (provider) =>
        Number((await provider.send('chain_getHeader', [await provider.send('chain_getFinalizedHead', [])])).number), all);
      bestFinalized = Math.max(bestFinalized, number);
    }
    assert.ok(bestFinalized >= stalledAt);
    const recover = api.tx.validatorSet.recoverFinality(RECOVERY_DELAY, bestFinalized);
    assert.deepEqual(await councilMotion(api, recover, council, { abort: all }), { ok: true });

    // At the next session boundary GRANDPA forces the change to the validators active then (with
    // the new keys), enacted RECOVERY_DELAY blocks later; the new set finalizes on top of
    // `bestFinalized`: within a session, the delay and a few rounds.
    await followHeads(api, 'best', async () => (await finalizedNumber()) > bestFinalized,
      all, SESSION_BLOCKS + RECOVERY_DELAY + 10);
    // And it goes on: blocks authored after the change are finalized, which takes three of the
    // four voters, so at least one of the new keys votes with Alice's and Charlie's.
    const later = (await bestNumber()) + 3;
    await followHeads(api, 'best', async () => (await finalizedNumber()) >= later, all, 20);
  });
});
