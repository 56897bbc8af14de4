// The runtime upgrade a running consortium makes, on a chain that lived under the previous
// release: a dev chain started from that release's chain spec (spec_version 100, its runtime in
// genesis: records, SLA escrow and disclosure at storage version 1; tests/e2e/fixtures), where
// two organizations write into one stream (version 1 allowed it), a batch is anchored, an
// agreement waits for its first period's settlement and a disclosure request is open. Then
// try-runtime's upgrade checks of this runtime run against that live state (every migration's
// pre- and post-upgrade checks, the storage versions, every pallet's invariants); the council
// authorizes this runtime; after the upgrade the version 1 stream is its head's organization's
// and keeps its links, the other organization writes an earlier-dated record to a stream of its
// own, the queued settlement names its period and the request its requester's organization, and
// the active agreement keeps its metric from being retired.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { startNetwork } from './lib/network.mjs';
import { connect, followHeads } from './lib/chain.mjs';
import { councilMotion, submit } from './lib/council.mjs';
import { upgradeChecks } from './lib/try-runtime.mjs';

const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/perfledger/target');
// This runtime, as the node build makes it.
const WASM = process.env.PERFLEDGER_RUNTIME_WASM
  ?? join(targetDir, 'release/wbuild/perfledger-runtime/perfledger_runtime.compact.compressed.wasm');
const PROVE = process.env.PERFLEDGER_PROVE ?? join(targetDir, 'release/perfledger-prove');
const FIXTURE = new URL('./fixtures/dev-spec100.raw.json.gz', import.meta.url);
// This runtime's spec_version, as runtime/src/lib.rs declares it.
const SPEC = Number(readFileSync(new URL('../../runtime/src/lib.rs', import.meta.url), 'utf8')
  .match(/^runtime_version!\((\d+)\);/m)[1]);

const LEAD_TIME = 0; // Acme's metric, in the development preset
const ACME = 0;
const BOREALIS = 1;
const UNIT = 1_000_000_000_000n;
const HOUR_MS = 3_600_000;

describe('a runtime upgrade migrates a chain that lived under the previous release', () => {
  let network;
  let api;
  let alice, bob, charlie, acme, borealis;
  const subject = `sscc:upgrade:${Date.now()}`;
  const doc = (tag) => blake2AsHex(`${subject} ${tag}`, 256);
  const record = (hundredths, time, tag) => ({
    metric: LEAD_TIME, subject, value: { amount: hundredths, scale: 2 }, time, document: doc(tag), region: null, parents: [],
  });
  const recorded = (events) => events.find((e) => api.events.records.Recorded.is(e)).data;
  const old = {}; // what the chain holds before the upgrade

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    [alice, bob, charlie, acme, borealis] = ['//Alice', '//Bob', '//Charlie', '//Alice//stash', '//Bob//stash']
      .map((uri) => keyring.addFromUri(uri));
    const spec = join(mkdtempSync(join(tmpdir(), 'perfledger-spec100-')), 'dev-spec100.raw.json');
    writeFileSync(spec, gunzipSync(readFileSync(FIXTURE)));
    network = await startNetwork({ chain: spec, names: ['alice'], portBase: 39000 });
    api = await connect(network.node('alice').wsUrl);
  });

  after(async () => {
    await api?.disconnect();
    await network?.stop();
  });

  test('the chain lives under the previous release', async () => {
    assert.equal((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber(), 100);
    // Version 1: one stream per metric and subject, whoever writes. Acme writes twice, then
    // Borealis, then Acme again: the stream's head is Acme's.
    old.ids = [];
    for (const [who, value, time, tag] of [[acme, 4250, 1, 'a1'], [acme, 3975, 2, 'a2'], [borealis, 100, 3, 'b1'], [acme, 5100, 4, 'a3']]) {
      old.ids.push(recorded(await submit(api, api.tx.records.submitRecord(record(value, time, tag)), who)));
    }
    old.stream = old.ids[0].stream.toHex();
    assert.ok(old.ids.every((r) => r.stream.toHex() === old.stream), 'one stream for both organizations');
    await submit(api, api.tx.records.anchorBatch(LEAD_TIME, doc('root'), 3, doc('batch'), 'ipfs://batch'), acme);

    // Borealis buys an on-time level from Acme, hourly; its first period settles after the test.
    const defined = await submit(api, api.tx.records.defineMetric({
      name: 'On-time delivery rate', unit: '%', valueType: 'Integer', min: 0, max: 10_000,
      periodMs: HOUR_MS, reporters: ['Reporter'], deviceOnly: false,
    }), alice);
    const metric = defined.find((e) => api.events.records.MetricDefined.is(e)).data.metric.toNumber();
    old.metric = metric;
    old.first = Math.floor(Number((await api.query.timestamp.now()).toBigInt()) / HOUR_MS) + 1;
    const proposed = await submit(api, api.tx.slaEscrow.propose({
      provider: alice.address, metric, subject, measure: 'Mean', comparison: 'AtLeast', target: 9_500,
      tiers: [], floor: 0, bonus: null, firstPeriod: old.first, periods: 2, amount: 10n * UNIT,
      reporters: [acme.address], missingData: 'CountAsMissed', proofsStandIn: false, graceMs: 0,
      disputeWindowMs: 60_000,
    }), bob);
    old.agreement = proposed.find((e) => api.events.slaEscrow.Proposed.is(e)).data.agreement.toNumber();
    await submit(api, api.tx.slaEscrow.accept(old.agreement), alice);
    const queued = await api.query.slaEscrow.queue.entries();
    assert.equal(queued.length, 1, 'the first period waits in the settlement queue');

    // Borealis asks to see two fields of a document Acme committed to.
    const document = JSON.parse(execFileSync(PROVE, ['document', 'shipment v1: carrier, lane, hours, cost',
      'Nordic Freight', subject, '42.50', 'EUR 1,870']).toString());
    const committed = await submit(api, api.tx.disclosure.commit(document.schema, document.root, document.fields,
      'Sensitive', old.ids[0].record), acme);
    const commitment = committed.find((e) => api.events.disclosure.Committed.is(e)).data.commitment;
    const requested = await submit(api, api.tx.disclosure.requestDisclosure(commitment, [2, 3]), bob);
    old.request = requested.find((e) => api.events.disclosure.DisclosureRequested.is(e)).data.request.toNumber();
  });

  test("try-runtime's upgrade checks of this runtime pass on the live chain's state", async () => {
    // The migrations run natively against the downloaded state, with their pre- and post-upgrade
    // checks, twice (the second run must change nothing), then every pallet's invariants.
    const migrated = await upgradeChecks(network.node('alice').wsUrl);
    for (const [pallet, to] of [['Records', 2], ['SlaEscrow', 3], ['Disclosure', 2]]) {
      assert.match(migrated, new RegExp(`${pallet} StorageVersion\\(1\\) -> StorageVersion\\(${to}\\)`));
    }
  });

  test('the council upgrades to this runtime and every migrated item reads as it should', async () => {
    assert.ok(existsSync(WASM), `this runtime's Wasm at ${WASM} (cargo build --release -p perfledger-node)`);
    const code = readFileSync(WASM);
    const council = [alice, bob, charlie];
    assert.deepEqual(await councilMotion(api, api.tx.consortium.authorizeUpgrade(blake2AsHex(code, 256)), council), { ok: true });
    await submit(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), alice);
    await followHeads(api, 'finalized', async (h) =>
      (await api.rpc.state.getRuntimeVersion(h.hash)).specVersion.toNumber() === SPEC, network.crashed(), 20);
    // A fresh connection decorates the new metadata.
    await api.disconnect();
    api = await connect(network.node('alice').wsUrl);

    // The version 1 stream keeps its id and links, and is Acme's (its head's).
    const stream = (await api.call.recordsApi.stream(old.stream)).unwrap();
    assert.equal(stream.organization.toNumber(), ACME);
    assert.equal(stream.length.toNumber(), 4);
    assert.deepEqual((await api.call.recordsApi.verifyStream(old.stream)).toJSON(), { ok: 4 });
    assert.equal((await api.call.recordsApi.streamId(ACME, LEAD_TIME, subject)).toHex(), old.stream);
    // Each document use is under its organization.
    const uses = async (tag) => (await api.query.records.documents.entries(doc(tag)))
      .map(([key, used]) => [key.args[1].toNumber(), used.toJSON()]);
    assert.deepEqual(await uses('b1'), [[BOREALIS, { record: old.ids[2].record.toNumber() }]]);
    assert.deepEqual(await uses('a3'), [[ACME, { record: old.ids[3].record.toNumber() }]]);
    assert.equal((await uses('batch'))[0][0], ACME);

    // Acme's next record continues its stream; Borealis's, dated before Acme's head, goes to a
    // stream of its own (under version 1 it was refused: TimeBeforeStreamHead).
    const next = recorded(await submit(api, api.tx.records.submitRecord(record(4000, 5, 'a4')), acme));
    assert.equal(next.stream.toHex(), old.stream);
    assert.deepEqual((await api.call.recordsApi.verifyStream(old.stream)).toJSON(), { ok: 5 });
    const theirs = recorded(await submit(api, api.tx.records.submitRecord(record(200, 2, 'b2')), borealis));
    assert.notEqual(theirs.stream.toHex(), old.stream);
    assert.equal((await api.call.recordsApi.streamId(BOREALIS, LEAD_TIME, subject)).toHex(), theirs.stream.toHex());
    // Acme reuses Borealis's document hash: no longer blocked.
    await submit(api, api.tx.records.submitRecord(record(4100, 6, 'b2')), acme);

    // The queued settlement names the period it settles; the request, its requester's organization.
    const jobs = (await api.query.slaEscrow.queue.entries()).flatMap(([, bucket]) => bucket.toJSON());
    assert.deepEqual(jobs, [{ settle: [old.agreement, old.first] }]);
    const [request] = (await api.call.disclosureApi.request(old.request)).unwrap();
    assert.equal(request.requesterOrganization.unwrap().toNumber(), BOREALIS);
    // The active agreement is counted: its metric's owner (Acme, the provider here) can no
    // longer retire it or narrow what its records may hold.
    assert.equal((await api.query.slaEscrow.activeByMetric(old.metric)).toNumber(), 1);
    await assert.rejects(submit(api, api.tx.records.retireMetric(old.metric), alice), /records\.MetricInUse/);
  });
});
