// Permissions on a running node, driven as a user of polkadot.js apps would: the council admits
// an organization, its admin grants a reporter role, a stranger's transaction is refused at the
// transaction pool with a clear reason and never reaches a block, and a revoked reporter is
// refused again at once.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { startNetwork } from './lib/network.mjs';
import { connect, followHeads } from './lib/chain.mjs';
import { councilMotion, submit } from './lib/council.mjs';

const UNIT = 10n ** 12n;

describe('permissions on a running node', () => {
  let network;
  let api;
  let keyring;
  let council; // the development preset's council: Alice, Bob and Charlie (a majority is two)
  let eve; // applies to join the consortium: Eve Analytics' admin
  let stranger; // a fresh account, funded, holding no role
  let organization;

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519' });
    council = ['//Alice', '//Bob'].map((uri) => keyring.addFromUri(uri));
    eve = keyring.addFromUri('//Eve');
    stranger = keyring.addFromUri(mnemonicGenerate());
    network = await startNetwork({ chain: 'dev', names: ['alice'], portBase: 34000 });
    api = await connect(network.node('alice').wsUrl);
    // Alice sits on the council and runs the validator: the gate lets her fund the stranger.
    await submit(api, api.tx.balances.transferKeepAlive(stranger.address, 10n * UNIT), council[0]);
  });

  after(async () => {
    await api?.disconnect();
    await network?.stop();
  });

  /** Submits `tx` signed by `signer` through RPC; resolves with the pool's refusal, if any. */
  async function poolRefusal(tx, signer) {
    const signed = await tx.signAsync(signer);
    try {
      await api.rpc.author.submitExtrinsic(signed);
      return null;
    } catch (error) {
      return error.message;
    }
  }

  const transfer = () => api.tx.balances.transferKeepAlive(council[0].address, UNIT);

  test("a stranger's transaction is refused at the pool, costs nothing and never reaches a block", async () => {
    const before = await api.query.system.account(stranger.address);
    const refusal = await poolRefusal(transfer(), stranger);
    assert.match(refusal ?? 'accepted', /1010: Invalid Transaction: Invalid signing address/);

    // Several blocks later, nothing of the stranger's is in any of them, and it paid nothing.
    const from = (await api.rpc.chain.getHeader()).number.toNumber();
    await followHeads(api, 'best', (h) => h.number.toNumber() >= from + 3, network.crashed());
    for (let n = from; n <= from + 3; n++) {
      const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
      const signers = block.block.extrinsics.filter((x) => x.isSigned).map((x) => x.signer.toString());
      assert.ok(!signers.includes(stranger.address), `block #${n} holds none of the stranger's transactions`);
    }
    const after = await api.query.system.account(stranger.address);
    assert.equal(after.nonce.toNumber(), before.nonce.toNumber());
    assert.equal(after.data.free.toBigInt(), before.data.free.toBigInt());
  });

  test('the council admits an organization; its admin grants a reporter, who may then transact', async () => {
    // Applying to join is open to outsiders.
    await submit(api, api.tx.consortium.apply('Eve Analytics', 'SE'), eve);
    assert.deepEqual(await councilMotion(api, api.tx.consortium.admit(eve.address), council), { ok: true });
    organization = (await api.query.consortium.members(eve.address)).unwrap().organization.toNumber();
    const org = (await api.query.permissions.organizations(organization)).unwrap();
    assert.equal(org.owner.toString(), eve.address);
    assert.equal(org.status.toString(), 'Active');

    const events = await submit(api,
      api.tx.permissions.grantRole(stranger.address, 'Reporter', { metrics: [], region: null }, null), eve);
    const granted = events.find((e) => api.events.permissions.RoleGranted.is(e));
    assert.ok(granted, 'RoleGranted emitted');
    assert.equal(granted.data.who.toString(), stranger.address);
    assert.equal(granted.data.role.toString(), 'Reporter');

    // The runtime API lists the grant and the organization's members.
    const grants = await api.call.permissionsApi.grantsOf(stranger.address);
    assert.deepEqual(grants.map((g) => g.role.toString()), ['Reporter']);
    assert.equal(grants[0].grant.organization.unwrap().toNumber(), organization);
    const members = await api.call.permissionsApi.organizationMembers(organization);
    assert.deepEqual(
      members.map(([who, roles]) => [who.toString(), roles.map((r) => r.toString())]).sort(),
      [[eve.address, ['OrganizationAdmin']], [stranger.address, ['Reporter']]].sort(),
    );
    assert.equal((await api.call.permissionsApi.may(stranger.address, 'SubmitRecord',
      { organization, metric: null, region: null })).isTrue, true);

    await submit(api, transfer(), stranger);
  });

  test('revoking the role refuses the next transaction at once', async () => {
    const events = await submit(api, api.tx.permissions.revokeRole(stranger.address, 'Reporter'), eve);
    assert.ok(events.some((e) => api.events.permissions.RoleRevoked.is(e)), 'RoleRevoked emitted');
    assert.deepEqual((await api.call.permissionsApi.grantsOf(stranger.address)).toJSON(), []);
    const refusal = await poolRefusal(transfer(), stranger);
    assert.match(refusal ?? 'accepted', /Invalid signing address/);
  });
});
