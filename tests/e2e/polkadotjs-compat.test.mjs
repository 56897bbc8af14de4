// polkadot.js compatibility: @polkadot/api connects to a running node with no custom type
// definitions, and everything in the metadata (types, calls, events, errors, storage,
// constants, runtime APIs) resolves and decodes.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stringCamelCase, u8aToString } from '@polkadot/util';
import { startNetwork } from './lib/network.mjs';
import { connect } from './lib/chain.mjs';

describe('polkadot.js decodes everything from metadata alone', () => {
  let network;
  let api;

  before(async () => {
    network = await startNetwork({ chain: 'dev', names: ['alice'], portBase: 32000 });
    api = await connect(network.node('alice').wsUrl);
  });

  after(async () => {
    await api?.disconnect();
    await network?.stop();
  });

  test('metadata is V15 or newer and polkadot.js warned about nothing it could not decorate', () => {
    assert.ok(api.runtimeMetadata.version >= 15, `metadata V${api.runtimeMetadata.version}`);
    // polkadot.js lists the node's newer JSON-RPC methods (chainHead_v1_*, ...) that it has
    // no wrappers for: that is about RPC methods, not types. Anything else is a finding.
    // It also names the one transaction extension it does not know, the permissions gate
    // `CheckGrant`, and treats it as having no effect: exact, as the next test checks.
    const problems = api.warnings.filter((w) => !/API\/INIT: RPC methods not decorated:/.test(w)
      && !/Unknown signed extensions CheckGrant found, treating them as no-effect/.test(w));
    assert.deepEqual(problems, []);
  });

  test('the permissions gate carries no data, explicit or implicit, so wallets sign without configuration', () => {
    const { extrinsic } = api.runtimeMetadata.asLatest;
    const extensions = extrinsic.transactionExtensions ?? extrinsic.signedExtensions;
    const gate = extensions.find((e) => e.identifier.toString() === 'CheckGrant');
    assert.ok(gate, 'CheckGrant is among the transaction extensions');
    const empty = (id) => {
      const def = api.registry.lookup.getSiType(id).def;
      return (def.isComposite && def.asComposite.fields.length === 0) || (def.isTuple && def.asTuple.length === 0);
    };
    assert.ok(empty(gate.type), 'no explicit data');
    assert.ok(empty(gate.implicit ?? gate.additionalSigned), 'no implicit data');
  });

  test('every type in the registry resolves', () => {
    const { lookup } = api.registry;
    const unresolved = [];
    for (const { id } of lookup.types) {
      try {
        const def = lookup.getTypeDef(id);
        const emptyEnum = def.info === 1 /* TypeDefInfo.Enum */ && (def.sub ?? []).length === 0;
        if (!emptyEnum) api.registry.createType(api.registry.createLookupType(id));
      } catch (error) {
        unresolved.push(`#${id.toString()}: ${error.message}`);
      }
    }
    assert.ok(lookup.types.length > 100, 'the registry holds the runtime types');
    assert.deepEqual(unresolved, []);
  });

  test('every pallet item and runtime API is decorated, and every constant and storage value decodes', async () => {
    const missing = [];
    const pallets = api.runtimeMetadata.asLatest.pallets;
    for (const pallet of pallets) {
      const section = stringCamelCase(pallet.name);
      if (pallet.calls.isSome) {
        const calls = api.registry.lookup.getSiType(pallet.calls.unwrap().type).def.asVariant.variants;
        for (const call of calls) {
          if (!api.tx[section]?.[stringCamelCase(call.name)]) missing.push(`tx.${section}.${call.name}`);
        }
      }
      if (pallet.storage.isSome) {
        for (const entry of pallet.storage.unwrap().items) {
          const query = api.query[section]?.[stringCamelCase(entry.name)];
          if (!query) { missing.push(`query.${section}.${entry.name}`); continue; }
          if (entry.type.isPlain) await query();
          else await query.entries();
        }
      }
      for (const constant of pallet.constants) {
        const value = api.consts[section]?.[stringCamelCase(constant.name)];
        if (value === undefined) missing.push(`consts.${section}.${constant.name}`);
        else value.toJSON();
      }
    }
    for (const runtimeApi of api.runtimeMetadata.asLatest.apis) {
      const section = stringCamelCase(runtimeApi.name);
      for (const method of runtimeApi.methods) {
        if (!api.call[section]?.[stringCamelCase(method.name)]) missing.push(`call.${section}.${method.name}`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(pallets.some((p) => p.name.toString() === 'Council'), 'the council is in the metadata');
    assert.ok(!pallets.some((p) => p.name.toString() === 'Sudo'), 'no sudo on a consortium chain');
  });

  test('runtime APIs answer through api.call with metadata types', async () => {
    const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    const nonce = await api.call.accountNonceApi.accountNonce(alice);
    assert.equal(nonce.toNumber(), 0);
    const version = await api.call.core.version();
    assert.equal(version.specName.toString(), 'perfledger');
    const presets = await api.call.genesisBuilder.presetNames();
    assert.deepEqual(presets.map((p) => u8aToString(p.toU8a(true))).sort(), ['consortium', 'development', 'local_testnet']);
  });
});
