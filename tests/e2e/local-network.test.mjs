// The four validators of the `local` chain as real processes on loopback: blocks from more
// than one author, GRANDPA finality, a signed transaction finalized, finality that survives
// one validator down (three of four voters are more than two thirds) and stops with two down
// while blocks are still produced.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { startNetwork } from './lib/network.mjs';
import { connect, followHeads, authorOf } from './lib/chain.mjs';
import { track } from './lib/council.mjs';

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
});
