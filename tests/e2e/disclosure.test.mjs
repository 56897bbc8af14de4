// Selective disclosure on a running node, through @polkadot/api with metadata alone: a
// sensitive document committed and bound to a record; a request granted, approved by another
// organization and by council motion, checked through the runtime API, and revoked; a field
// published; a value committed and a threshold proved in zero knowledge, verified by the Wasm
// runtime. Proofs are made by `perfledger-prove`, the CLI of the library the runtime checks with.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { startNetwork } from './lib/network.mjs';
import { connect } from './lib/chain.mjs';
import { submit, councilMotion } from './lib/council.mjs';

const LEAD_TIME = 0; // Acme's metric (hours, 2 decimals, daily), reported by Alice_stash
const DAY_MS = 86_400_000;
const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/perfledger/target');
const PROVE = process.env.PERFLEDGER_PROVE ?? join(targetDir, 'release/perfledger-prove');
const prove = (...args) => JSON.parse(execFileSync(PROVE, args.map(String)).toString());
// The blinding is a secret: it goes to the prover on standard input, never as an argument.
const proveWith = (input, ...args) => JSON.parse(execFileSync(PROVE, args.map(String), { input }).toString());

describe('selective disclosure on a running node', () => {
  let network;
  let api;
  let alice; // Acme's admin
  let reporter; // Acme's reporter
  let bob; // Borealis's admin: asks for data
  let charlie; // Coldline's admin: approves
  const subject = `lane:${Date.now()}`;

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    [alice, reporter, bob, charlie] = ['//Alice', '//Alice//stash', '//Bob', '//Charlie'].map((u) => keyring.addFromUri(u));
    network = await startNetwork({ chain: 'dev', names: ['alice'], portBase: 36000 });
    api = await connect(network.node('alice').wsUrl);
  });

  after(async () => {
    await api?.disconnect();
    await network?.stop();
  });

  test('a sensitive document is granted only after two approvals, checks through the runtime API, and is revoked', async () => {
    const recorded = await submit(api, api.tx.records.submitRecord({
      metric: LEAD_TIME, subject, value: { amount: 4250, scale: 2 }, time: Date.now() - 1000,
      document: blake2AsHex(subject, 256), region: null, parents: [],
    }), reporter);
    const record = recorded.find((e) => api.events.records.Recorded.is(e)).data.record.toNumber();

    const doc = prove('document', 'shipment v1: carrier, lane, hours, cost', 'Nordic Freight', subject, '42.50', 'EUR 1,870');
    const committed = await submit(api, api.tx.disclosure.commit(doc.schema, doc.root, doc.fields, 'Sensitive', record), reporter);
    const commitment = committed.find((e) => api.events.disclosure.Committed.is(e)).data.commitment.toNumber();
    assert.equal((await api.call.disclosureApi.commitment(commitment)).unwrap().record.unwrap().toNumber(), record);

    const requested = await submit(api, api.tx.disclosure.requestDisclosure(commitment, [2, 3]), bob);
    const request = requested.find((e) => api.events.disclosure.DisclosureRequested.is(e)).data.request.toNumber();
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const granted = await submit(api, api.tx.disclosure.grantDisclosure(request, now + 100), alice);
    const grant = granted.find((e) => api.events.disclosure.DisclosureGranted.is(e)).data;
    assert.equal(grant.approvalsRequired.toNumber(), 2);
    const active = async () => (await api.call.disclosureApi.request(request)).unwrap()[1].isTrue;
    assert.equal(await active(), false, 'not active before approvals');

    // The requester's own organization may not approve; Coldline's admin is the first approver.
    await assert.rejects(submit(api, api.tx.disclosure.approveDisclosure(request), bob), /disclosure\.RequestersOrganization/);
    await submit(api, api.tx.disclosure.approveDisclosure(request), charlie);
    assert.equal(await active(), false, 'one approval of two');
    const motion = await councilMotion(api, api.tx.disclosure.approveDisclosureByCouncil(request), [alice, charlie]);
    assert.deepEqual(motion, { ok: true });
    assert.equal(await active(), true, 'active after the council, the second approver');

    // What the owner sends Bob privately checks against the chain; a changed value does not.
    for (const position of [2, 3]) {
      const d = doc.disclosures[position];
      assert.deepEqual((await api.call.disclosureApi.verifyField(commitment, d)).toJSON(), { ok: null });
    }
    const forged = { ...doc.disclosures[2], value: doc.disclosures[3].value };
    assert.deepEqual((await api.call.disclosureApi.verifyField(commitment, forged)).toJSON(), { err: 'Mismatch' });

    const revoked = await submit(api, api.tx.disclosure.revokeDisclosure(request), alice);
    assert.ok(revoked.some((e) => api.events.disclosure.DisclosureRevoked.is(e)));
    assert.ok((await api.call.disclosureApi.request(request)).isNone);

    // A public disclosure: the carrier's name, checked on chain and stored.
    const carrier = doc.disclosures[0];
    await assert.rejects(
      submit(api, api.tx.disclosure.publishField(commitment, 0, carrier.value, doc.disclosures[1].salt, carrier.proof), alice),
      /disclosure\.FieldMismatch/,
    );
    await submit(api, api.tx.disclosure.publishField(commitment, 0, carrier.value, carrier.salt, carrier.proof), alice);
    assert.equal((await api.query.disclosure.published(commitment, 0)).unwrap().toUtf8(), 'Nordic Freight');
  });

  test('a hidden value is proved at most a threshold by a Bulletproofs range proof verified on chain', async () => {
    const period = Math.floor(Date.now() / DAY_MS) - 1; // yesterday: a period that has begun
    const organization = 0; // Acme
    const value = prove('value', organization, LEAD_TIME, subject, period, 4250);
    assert.equal((value.proof.length - 2) / 2, 672, 'a 64-bit range proof is 672 bytes');
    const committed = await submit(api, api.tx.disclosure.commitValue(LEAD_TIME, subject, period, value.commitment, value.proof, null), reporter);
    const valueId = committed.find((e) => api.events.disclosure.ValueCommitted.is(e)).data.value.toNumber();

    const claim = (threshold, direction) =>
      proveWith(value.blinding, 'threshold', organization, LEAD_TIME, subject, period, 4250, threshold, direction).proof;
    // "At most 48.00 h", proved; the claim is on chain, the value is not.
    const proved = await submit(api, api.tx.disclosure.proveThreshold(valueId, 4800, 'AtMost', claim(4800, 'at-most')), reporter);
    const event = proved.find((e) => api.events.disclosure.ThresholdProven.is(e)).data;
    assert.deepEqual([event.threshold.toNumber(), event.direction.toString()], [4800, 'AtMost']);
    // A proof of "at least 40.00 h" does not prove "at least 43.00 h".
    await assert.rejects(
      submit(api, api.tx.disclosure.proveThreshold(valueId, 4300, 'AtLeast', claim(4000, 'at-least')), reporter),
      /disclosure\.InvalidProof/,
    );
    // Nor can a false claim be made: the prover refuses "at most 42.00 h".
    assert.throws(() => execFileSync(PROVE, ['threshold', organization, LEAD_TIME, subject, period, 4250, 4200, 'at-most'].map(String), { input: value.blinding, stdio: 'pipe' }), /ClaimFalse/);

    const [id, stored, range] = (await api.call.disclosureApi.committedValue(organization, LEAD_TIME, subject, period)).unwrap();
    assert.equal(id.toNumber(), valueId);
    assert.equal(stored.commitment.toHex(), value.commitment);
    assert.deepEqual(range.toJSON(), { atLeast: null, atMost: 4800 });
  });
});
