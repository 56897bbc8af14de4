// SLA escrow on a running node, through @polkadot/api with metadata alone: Borealis buys an
// on-time delivery level from Acme over two short periods; Acme accepts and Borealis's payment
// is held; Acme's reporter records; each period settles by itself when it ends and pays when
// its dispute window closes: the first in full (target met), the second at the floor (missed),
// the rest back to Borealis, to the unit.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { startNetwork } from './lib/network.mjs';
import { connect, followHeads } from './lib/chain.mjs';
import { submit } from './lib/council.mjs';

const UNIT = 1_000_000_000_000n;
const PERIOD_MS = 24_000; // four blocks
const AMOUNT = 1_000n * UNIT;

describe('SLA escrow on a running node', () => {
  let network;
  let api;
  let alice; // Acme's admin: the provider
  let bob; // Borealis's admin: the buyer
  let reporter; // Acme's reporter

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    [alice, bob, reporter] = ['//Alice', '//Bob', '//Alice//stash'].map((u) => keyring.addFromUri(u));
    network = await startNetwork({ chain: 'dev', names: ['alice'], portBase: 37000 });
    api = await connect(network.node('alice').wsUrl);
  });

  after(async () => {
    await api?.disconnect();
    await network?.stop();
  });

  const account = async (who) => (await api.query.system.account(who.address)).data;
  const now = async () => Number((await api.query.timestamp.now()).toBigInt());

  test('records settle the periods by themselves and the balances change as the terms say', async () => {
    const defined = await submit(api, api.tx.records.defineMetric({
      name: 'On-time delivery rate', unit: '%', valueType: 'Integer', min: 0, max: 10_000,
      periodMs: PERIOD_MS, reporters: ['Reporter'], deviceOnly: false,
    }), alice);
    const metric = defined.find((e) => api.events.records.MetricDefined.is(e)).data.metric.toNumber();

    // The first period starts at least two periods (eight blocks) from now; the records, the
    // offer and its acceptance take three blocks, so all is in place before it starts (checked
    // below, so that a slow chain fails here with that message and not later with wrong figures).
    const subject = `lane:${Date.now()}`;
    const first = Math.floor((await now()) / PERIOD_MS) + 3;
    const terms = {
      provider: alice.address, metric, subject, measure: 'Mean', comparison: 'AtLeast', target: 9_500,
      tiers: [{ bound: 9_000, payout: 800_000 }], floor: 100_000, bonus: null,
      firstPeriod: first, periods: 2, amount: AMOUNT, reporters: [reporter.address],
      missingData: 'CountAsMissed', proofsStandIn: false, graceMs: 0, disputeWindowMs: 60_000,
    };
    // Period 1: 96% and 98% (mean 97%, target met); period 2: 85% (below the 90% tier: floor).
    // Records may describe the next five minutes: all three are sent at once, before the offer.
    const nonce = (await api.rpc.system.accountNextIndex(reporter.address)).toNumber();
    await Promise.all([[first, 9_600], [first, 9_800], [first + 1, 8_500]].map(([period, value], i) =>
      submit(api, api.tx.records.submitRecord({
        metric, subject, value: { amount: value, scale: 0 }, time: period * PERIOD_MS + (i + 1) * 1_000,
        document: blake2AsHex(`${subject} ${i + 1}`, 256), region: null, parents: [],
      }), reporter, { nonce: nonce + i })));

    const proposed = await submit(api, api.tx.slaEscrow.propose(terms), bob);
    const id = proposed.find((e) => api.events.slaEscrow.Proposed.is(e)).data.agreement.toNumber();
    assert.equal((await account(bob)).reserved.toBigInt(), 0n, 'nothing held before the provider accepts');
    await submit(api, api.tx.slaEscrow.accept(id), alice);
    const bobBefore = await account(bob);
    const aliceBefore = await account(alice);
    assert.equal(bobBefore.reserved.toBigInt(), 2n * AMOUNT, 'both periods held on the buyer');
    assert.ok(await now() < first * PERIOD_MS, 'the records and the agreement are in place before the first period starts');

    const paid = [];
    await followHeads(api, 'best', async (header) => {
      const events = await (await api.at(header.hash)).query.system.events();
      for (const { event } of events) {
        if (api.events.slaEscrow.Paid.is(event) && event.data.agreement.toNumber() === id) paid.push(event.data);
      }
      return paid.length === 2;
    }, network.crashed(), 60);

    assert.deepEqual(paid.map((p) => [p.period.toNumber(), p.providerShare.toBigInt(), p.buyerShare.toBigInt()]), [
      [first, AMOUNT, 0n],
      [first + 1, AMOUNT / 10n, AMOUNT - AMOUNT / 10n],
    ]);
    const bobAfter = await account(bob);
    const aliceAfter = await account(alice);
    assert.equal(aliceAfter.free.toBigInt() - aliceBefore.free.toBigInt(), AMOUNT + AMOUNT / 10n);
    assert.equal(bobAfter.reserved.toBigInt(), 0n);
    const total = (d) => d.free.toBigInt() + d.reserved.toBigInt();
    assert.equal(total(bobBefore) - total(bobAfter), AMOUNT + AMOUNT / 10n, 'the buyer pays exactly what the provider gets');

    const agreement = (await api.call.slaEscrowApi.agreement(id)).unwrap();
    assert.equal(agreement.status.toString(), 'Completed');
    assert.equal(agreement.held.toBigInt(), 0n);
    const history = await api.call.slaEscrowApi.settlements(id);
    assert.deepEqual(history.map(([period, s]) => [period.toNumber(), s.status.toString(), s.basis.toJSON()]), [
      [first, 'Paid', { records: { count: 2, measured: 9_700 } }],
      [first + 1, 'Paid', { records: { count: 1, measured: 8_500 } }],
    ]);
  });
});
