// Performance records on a running node, through @polkadot/api with metadata alone: a reporter's
// hash-linked records and a correction, read back through the runtime API; a device's signed
// reading sent as an unsigned transaction (the device holds no account and no funds) and its
// replay refused; another organization's record dated "now" about the same subject, with the
// same document hash, blocks nothing (each organization's stream and documents are its own);
// a Merkle batch anchored and an inclusion proof checked on chain.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { startNetwork } from './lib/network.mjs';
import { connect, followHeads } from './lib/chain.mjs';
import { councilMotion, submit, track } from './lib/council.mjs';
import { buildTree, proofOf, rootOf } from './lib/merkle.mjs';
import { registerDevice, signReading } from './lib/devices.mjs';

const LEAD_TIME = 0; // Acme's, reported by Alice_stash in the development preset
const TEMPERATURE = 2; // Coldline's, signed devices only
const COLDLINE = 2; // Charlie's organization

describe('performance records on a running node', () => {
  let network;
  let api;
  let keyring;
  let reporter;
  const subject = `sscc:${Date.now()}`;
  const doc = (tag) => blake2AsHex(`${subject} ${tag}`, 256);

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519' });
    reporter = keyring.addFromUri('//Alice//stash');
    network = await startNetwork({ chain: 'dev', names: ['alice'], portBase: 35000 });
    api = await connect(network.node('alice').wsUrl);
  });

  after(async () => {
    await api?.disconnect();
    await network?.stop();
  });

  const record = (hundredths, time, tag) => ({
    metric: LEAD_TIME, subject, value: { amount: hundredths, scale: 2 }, time, document: doc(tag), region: null, parents: [],
  });

  test('records are hash-linked; a correction supersedes and keeps the original', async () => {
    const ids = [];
    for (const [value, time] of [[4250, 1], [3975, 2], [5100, 3]]) {
      const events = await submit(api, api.tx.records.submitRecord(record(value, time, `r${time}`)), reporter);
      ids.push(events.find((e) => api.events.records.Recorded.is(e)).data.record.toNumber());
    }
    const events = await submit(api, api.tx.records.correctRecord(ids[1], { amount: 3990, scale: 2 }, doc('fix'), 'recount'), reporter);
    assert.ok(events.some((e) => api.events.records.Corrected.is(e)));
    // A value out of range is refused with its own error.
    await assert.rejects(submit(api, api.tx.records.submitRecord(record(2_000_000, 4, 'big')), reporter), /records\.ValueOutOfRange/);

    const organization = (await api.call.recordsApi.record(ids[0])).unwrap().record.organization;
    const stream = await api.call.recordsApi.streamId(organization, LEAD_TIME, subject);
    const history = await api.call.recordsApi.history(stream, null, 10);
    assert.equal(history.length, 4, 'three records and the correction, newest first');
    assert.deepEqual((await api.call.recordsApi.verifyStream(stream)).toJSON(), { ok: 4 });
    const original = (await api.call.recordsApi.record(ids[1])).unwrap();
    assert.equal(original.record.value.toNumber(), 3975, 'the original stays readable');
    assert.ok(original.supersededBy.isSome);
    // Each record links to the hash of the one before it (read from the JSON: a polkadot.js
    // value's own `.hash` is the hash of its encoding, not the field).
    for (let i = 0; i + 1 < history.length; i++) {
      const before = (await api.call.recordsApi.record(history[i + 1][0])).unwrap();
      assert.equal(history[i][1].link.toHex(), before.toJSON().hash);
    }
  });

  test("another organization's record cannot block, reorder or mix into this organization's stream", async () => {
    // Borealis's reporter writes about Acme's subject, dated now, under the document hash of a
    // delivery note Acme is about to import.
    const borealis = keyring.addFromUri('//Bob//stash');
    const theirs = await submit(api, api.tx.records.submitRecord(record(100, Date.now() - 60_000, 'shared')), borealis);
    const their = theirs.find((e) => api.events.records.Recorded.is(e)).data;
    // Acme's earlier-dated record with that same document is accepted, in Acme's own stream.
    const ours = await submit(api, api.tx.records.submitRecord(record(4400, 10, 'shared')), reporter);
    const our = ours.find((e) => api.events.records.Recorded.is(e)).data;
    assert.notEqual(our.stream.toHex(), their.stream.toHex(), 'two streams');
    assert.notEqual(our.organization.toNumber(), their.organization.toNumber());
    assert.deepEqual((await api.call.recordsApi.verifyStream(our.stream)).toJSON(), { ok: 5 });
    assert.deepEqual((await api.call.recordsApi.verifyStream(their.stream)).toJSON(), { ok: 1 });
    const stream = (await api.call.recordsApi.stream(our.stream)).unwrap();
    assert.equal(stream.organization.toNumber(), our.organization.toNumber());
    // Each organization's use of the document is its own; a second use by Acme is refused.
    const uses = await api.query.records.documents.entries(doc('shared'));
    assert.equal(uses.length, 2);
    await assert.rejects(submit(api, api.tx.records.submitRecord(record(4400, 11, 'shared')), reporter), /records\.DuplicateDocument/);
  });

  test('a device signs a reading that needs no account; its replay is refused at the pool', async () => {
    const charlie = keyring.addFromUri('//Charlie'); // Coldline's admin
    const manager = keyring.addFromUri('//Ferdie');
    const device = keyring.addFromUri(`//Thermometer/${Date.now()}`);
    await submit(api, api.tx.permissions.grantRole(manager.address, 'DeviceManager', { metrics: [], region: null }, null), charlie);
    await registerDevice(api, device, [TEMPERATURE], manager, COLDLINE);
    assert.equal((await api.query.system.account(device.address)).data.free.toBigInt(), 0n, 'the device holds nothing');

    const readingType = api.tx.records.submitDeviceReading.meta.args[0].type.toString();
    const reading = api.createType(readingType, {
      device: device.address,
      counter: 1,
      record: { metric: TEMPERATURE, subject: 'reefer-12', value: { amount: -182, scale: 1 }, time: 5, document: doc('reading'), region: null, parents: [] },
    });
    const signedBy = (r) => ({ Sr25519: u8aToHex(signReading(api, device, r)) });
    const tx = api.tx.records.submitDeviceReading(reading, signedBy(reading));
    // Sent unsigned (no signer); in a block within INCLUSION_BLOCKS best blocks, or the test fails.
    const { events: included } = await track(api, tx, null, { abort: network.crashed() });
    const recorded = included.find((e) => api.events.records.Recorded.is(e));
    assert.ok(recorded, 'the reading is recorded');
    const view = (await api.call.recordsApi.record(recorded.data.record)).unwrap();
    assert.equal(view.record.submitter.asDevice.toString(), device.address);

    // The same counter again (here with another document) is a replay: the pool refuses it
    // with the pallet's error index as the custom code.
    const replay = api.createType(readingType, { ...reading.toJSON(), record: { ...reading.record.toJSON(), document: doc('again') } });
    const stale = api.errors.records.StaleCounter.meta.index.toNumber();
    await assert.rejects(
      api.rpc.author.submitExtrinsic(api.tx.records.submitDeviceReading(replay, signedBy(replay))),
      new RegExp(`1010: Invalid Transaction: Custom error: ${stale}$`),
    );
  });

  // One device key streams readings as fast as it can sign them. Readings queue in counter
  // order behind every signed transaction, at most MaxReadingsPerBlock a block: a reporter's
  // record and the council's motion that retires the device still get into blocks while the
  // flood is under way, and once retired nothing more of it is recorded.
  test('a flooding device keeps neither a record nor the motion that retires it out of blocks', async () => {
    const [alice, bob] = ['//Alice', '//Bob'].map((uri) => keyring.addFromUri(uri));
    const manager = keyring.addFromUri('//Ferdie');
    const device = keyring.addFromUri(`//Flood/${Date.now()}`);
    const granted = await api.query.permissions.grants(manager.address, 'DeviceManager');
    if (granted.isNone) {
      await submit(api, api.tx.permissions.grantRole(manager.address, 'DeviceManager', { metrics: [], region: null }, null), keyring.addFromUri('//Charlie'));
    }
    await registerDevice(api, device, [TEMPERATURE], manager, COLDLINE);
    const cap = api.consts.records.maxReadingsPerBlock.toNumber();
    const start = (await api.rpc.chain.getHeader()).number.toNumber();

    const readingType = api.tx.records.submitDeviceReading.meta.args[0].type.toString();
    const now = (await api.query.timestamp.now()).toNumber();
    const total = 10 * cap;
    const txs = Array.from({ length: total }, (_, i) => {
      const reading = api.createType(readingType, {
        device: device.address,
        counter: i + 1,
        record: { metric: TEMPERATURE, subject: `flood-${subject}`, value: { amount: 20, scale: 1 }, time: now - 600_000 + i, document: doc(`flood ${i}`), region: null, parents: [] },
      });
      return api.tx.records.submitDeviceReading(reading, { Sr25519: u8aToHex(signReading(api, device, reading)) });
    });
    // In counter order, a few hundred at a time: the pool takes later counters as waiting on
    // earlier ones.
    for (let i = 0; i < txs.length; i += 250) {
      await Promise.all(txs.slice(i, i + 250).map((tx) => api.rpc.author.submitExtrinsic(tx)));
    }

    const input = { ...record(4_000, now, 'during the flood'), subject: `during-flood-${subject}` };
    const recorded = await submit(api, api.tx.records.submitRecord(input), reporter, { abort: network.crashed() });
    assert.ok(recorded.some((e) => api.events.records.Recorded.is(e)), 'the record is in a block');
    const motion = await councilMotion(api, api.tx.records.retireDevice(device.address), [alice, bob], { abort: network.crashed() });
    assert.deepEqual(motion, { ok: true }, 'the motion retiring the device executed');
    const counterAtRetirement = (await api.query.records.devices(device.address)).unwrap().counter.toNumber();
    assert.ok(counterAtRetirement < total, `the flood was still under way (${counterAtRetirement} of ${total} in)`);

    // Three more blocks: no reading of the retired device gets in.
    let seen = 0;
    await followHeads(api, 'best', async () => ++seen > 3, network.crashed(), 10);
    const device_ = (await api.query.records.devices(device.address)).unwrap();
    assert.ok(device_.retired.isTrue);
    assert.equal(device_.counter.toNumber(), counterAtRetirement, 'nothing recorded after retirement');

    // No block held more than the cap.
    const end = (await api.rpc.chain.getHeader()).number.toNumber();
    const perBlock = [];
    for (let n = start; n <= end; n++) {
      const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
      const readings = block.block.extrinsics.filter((xt) => xt.method.section === 'records' && xt.method.method === 'submitDeviceReading').length;
      assert.ok(readings <= cap, `block #${n} holds ${readings} readings`);
      perBlock.push(readings);
    }
    console.log(`flood: ${counterAtRetirement} of ${total} readings in when the motion passed; readings a block: ${perBlock.join(' ')}`);
  });

  test('a Merkle batch is anchored and an inclusion proof checks on chain', async () => {
    const leaves = Array.from({ length: 1000 }, (_, i) => blake2AsU8a(`${subject} off-chain ${i}`, 256));
    const tree = buildTree(leaves);
    const events = await submit(api, api.tx.records.anchorBatch(LEAD_TIME, rootOf(tree), leaves.length, doc('batch'), 'ipfs://batch'), reporter);
    const batch = events.find((e) => api.events.records.BatchAnchored.is(e)).data.batch;
    for (const index of [0, 511, 999]) {
      const proof = proofOf(tree, index);
      assert.ok(proof.length <= 10, 'log2(1000) hashes at most');
      assert.ok((await api.call.recordsApi.verifyInclusion(batch, u8aToHex(leaves[index]), index, proof)).isTrue);
    }
    const changed = blake2AsHex('not in the batch', 256);
    assert.ok((await api.call.recordsApi.verifyInclusion(batch, changed, 0, proofOf(tree, 0))).isFalse);
  });
});
