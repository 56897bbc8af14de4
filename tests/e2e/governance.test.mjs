// Consortium governance with real nodes: node authorization keeps an unknown node out until
// the council authorizes it; the council votes a fifth validator in, which then authors
// blocks and votes in finality; the council authorizes a runtime upgrade (the same runtime
// with a higher spec_version), anyone applies it, and the chain keeps producing and
// finalizing blocks with the new version.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { WsProvider } from '@polkadot/api';
import { startNetwork, peerIdBytes } from './lib/network.mjs';
import { connect, followHeads, authorOf, withinBlocks } from './lib/chain.mjs';
import { councilMotion, submit } from './lib/council.mjs';
import { upgradeChecks } from './lib/try-runtime.mjs';

const UPGRADE_WASM = process.env.PERFLEDGER_UPGRADE_WASM;

describe('consortium governance on a running network', () => {
  let network;
  let api; // Alice's node
  let eveApi; // the fifth node's
  let keyring;
  let council;

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519' });
    council = ['//Alice', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri));
    network = await startNetwork({
      chain: 'local',
      names: ['alice', 'bob', 'charlie', 'dave'],
      portBase: 33000,
    });
    api = await connect(network.node('alice').wsUrl);
    await followHeads(api, 'finalized', (h) => h.number.toNumber() >= 2, network.crashed());
  });

  after(async () => {
    await eveApi?.disconnect();
    await api?.disconnect();
    await network?.stop();
  });

  const bestOf = async (client) => (await client.rpc.chain.getHeader()).number.toNumber();

  test('a node whose peer id is not authorized cannot sync from the network', async () => {
    const eve = await network.addNode('eve');
    eveApi = await connect(eve.wsUrl);
    const target = (await bestOf(api)) + 4;
    await followHeads(api, 'best', (h) => h.number.toNumber() >= target, network.crashed());
    assert.equal(await bestOf(eveApi), 0, 'the unauthorized node stayed at genesis');
  });

  test('once the council authorizes its peer id and the node restarts, it syncs', async () => {
    const owner = keyring.addFromUri('//Eve');
    // As in polkadot.js apps, the peer id goes in as hex bytes (scripts/peer-id.sh prints them):
    // polkadot.js maps the metadata's `OpaquePeerId` to a wrapper of its own that encodes a
    // Uint8Array as nothing at all.
    const peerId = u8aToHex(peerIdBytes(network.node('eve').peerId));
    const authorize = api.tx.nodeAuthorization.addWellKnownNode(peerId, owner.address);
    assert.deepEqual(await councilMotion(api, authorize, council), { ok: true });
    const wellKnown = await api.query.nodeAuthorization.wellKnownNodes();
    assert.equal(wellKnown.size, 5);
    assert.ok([...wellKnown].some((node) => node.toHex().endsWith(peerId.slice(2))), 'the peer id is stored');
    // The operator restarts the node so that it dials the network afresh.
    await eveApi.disconnect();
    const eve = await network.restartNode('eve');
    eveApi = await connect(eve.wsUrl);
    const target = await bestOf(api);
    await followHeads(eveApi, 'best', (h) => h.number.toNumber() >= target, network.crashed());
  });

  test('the council votes a fifth validator in: it authors blocks and votes in finality', async () => {
    const eve = keyring.addFromUri('//Eve');
    // The operator has its node make new session keys, with a proof that Eve's account owns them.
    // A provider retries its connection forever: bounded in blocks, and disconnected either way.
    const provider = new WsProvider(network.node('eve').wsUrl);
    let generated;
    try {
      await withinBlocks(api, provider.isReady, { abort: network.crashed(), what: "connecting to Eve's node" });
      generated = await provider.send('author_rotateKeysWithOwner', [u8aToHex(eve.publicKey)]);
    } finally {
      await provider.disconnect();
    }
    await submit(api, api.tx.session.setKeys(generated.keys, generated.proof), eve);
    // The keys' type as the metadata names it (polkadot.js has no `SessionKeys` of its own).
    const keys = api.createType(api.tx.session.setKeys.meta.args[0].type.toString(), generated.keys);

    // Before the motion, adding an account without session keys is refused.
    const ferdie = keyring.addFromUri('//Ferdie');
    assert.deepEqual(
      await councilMotion(api, api.tx.validatorSet.addValidator(ferdie.address), council),
      { ok: false, error: 'validatorSet.NoSessionKeys' },
    );
    assert.deepEqual(await councilMotion(api, api.tx.validatorSet.addValidator(eve.address), council), { ok: true });

    // The set changes at a session boundary (10 blocks) and takes effect one session later;
    // then Eve has one slot in five.
    const eveAura = keys.aura.toHex();
    await followHeads(api, 'best', async (header) => (await authorOf(api, header)) === eveAura,
      network.crashed(), 40);

    const voters = await api.call.grandpaApi.grandpaAuthorities();
    assert.equal(voters.length, 5);
    assert.ok(voters.some(([id]) => id.eq(keys.grandpa)), "Eve's GRANDPA key votes");

    // Four of five voters finalize only if Eve's node votes: stop Dave, finality goes on.
    await network.stopNode('dave');
    const stoppedAt = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    await followHeads(api, 'finalized', (h) => h.number.toNumber() >= stoppedAt + 3,
      network.crashed(['alice', 'bob', 'charlie', 'eve']));
  });

  test("try-runtime's upgrade checks pass on the live chain's state", async () => {
    // The state after the motions above (a new validator, an authorized node), downloaded over
    // RPC: storage versions, decoding of every item, every pallet's invariants, idempotence. It
    // runs this runtime already: nothing is left to migrate.
    assert.equal(await upgradeChecks(network.node('alice').wsUrl), '');
  });

  test('the council authorizes a runtime upgrade by hash; anyone applies it; the chain goes on', async (t) => {
    assert.ok(UPGRADE_WASM && existsSync(UPGRADE_WASM),
      'PERFLEDGER_UPGRADE_WASM names the upgrade Wasm (scripts/build-upgrade-wasm.sh)');
    const code = readFileSync(UPGRADE_WASM);
    const before = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
    const ferdie = keyring.addFromUri('//Ferdie');

    // Applying code nobody authorized is refused: dispatched (the gate lets anyone submit it),
    // it fails in frame_system with no upgrade authorized at all.
    await assert.rejects(submit(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), ferdie),
      /dispatch failed: system\.NothingAuthorized$/);

    const codeHash = blake2AsHex(code, 256);
    // Two of four council members are not the two-thirds an upgrade needs.
    assert.deepEqual(
      await councilMotion(api, api.tx.consortium.authorizeUpgrade(codeHash), council.slice(0, 2)),
      { ok: false, error: 'BadOrigin' },
    );
    assert.deepEqual(await councilMotion(api, api.tx.consortium.authorizeUpgrade(codeHash), council), { ok: true });
    await submit(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), ferdie);

    const upgradedAt = await followHeads(api, 'finalized', async (h) =>
      (await api.rpc.state.getRuntimeVersion(h.hash)).specVersion.toNumber() === before + 1,
    network.crashed(['alice', 'bob', 'charlie', 'eve']));
    const target = upgradedAt.number.toNumber() + 3;
    const last = await followHeads(api, 'finalized', (h) => h.number.toNumber() >= target,
      network.crashed(['alice', 'bob', 'charlie', 'eve']));
    assert.equal((await api.rpc.state.getRuntimeVersion(last.hash)).specVersion.toNumber(), before + 1);
  });
});
