// The attribution benchmark: a real client (@polkadot/api) against a running dev node. One
// contributor registers ARTIFACTS artifacts forming a DAG (every tenth a dataset with no
// parents, the others checkpoints with one to three earlier artifacts as parents) while a
// reporter submits as many records in the same blocks; both rates come from on-chain
// timestamps. Then the lineage runtime API walks the whole DAG: the ancestors of the last
// artifact, the descendants of the first, the last one's data pedigree, each in one call, timed.
//
//   node tests/e2e/bench/attribution.mjs ws://127.0.0.1:9976
//   (scripts/bench-attribution.sh starts the node and runs this)

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { submit } from '../lib/council.mjs';
import { run } from './lib.mjs';

const url = process.argv[2] ?? 'ws://127.0.0.1:9976';
const ARTIFACTS = Number(process.env.ARTIFACTS ?? 10_000);

/** A deterministic generator (xorshift32), so that every run builds the same DAG. */
function generator(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

const timed = async (what) => {
  const t0 = process.hrtime.bigint();
  const result = await what();
  return { result, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
};

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const alice = keyring.addFromUri('//Alice');
const dave = keyring.addFromUri('//Dave');
const reporter = keyring.addFromUri('//Alice//stash');
const runTag = Date.now();

await submit(api, api.tx.permissions.grantRole(dave.address, 'ModelContributor', { metrics: [], region: null }, null), alice);
const license = (await api.query.attribution.nextLicenseId()).toNumber();
await submit(api, api.tx.attribution.registerLicense({ derivatives: true, training: true, commercial: true, royalty: 0 }, u8aToHex(blake2AsU8a(`bench license ${runTag}`, 256))), dave);

const first = (await api.query.attribution.nextArtifactId()).toNumber();
const random = generator(20261201);
const artifact = (i) => {
  const id = first + i;
  const dataset = i % 10 === 0;
  const parents = new Set();
  if (!dataset) {
    const count = 1 + (random() % 3);
    for (let k = 0; k < count; k++) parents.add(first + (random() % i));
  }
  return api.tx.attribution.registerArtifact(
    dataset ? 'Dataset' : 'Checkpoint',
    u8aToHex(blake2AsU8a(`artifact ${runTag} ${id}`, 256)),
    `ipfs://bafkrei${String(id).padStart(52, 'a')}`,
    [...parents].sort((a, b) => a - b),
    license,
  );
};
const firstTime = Date.now() - 3_600_000;
const record = (i) => api.tx.records.submitRecord({
  metric: 0,
  subject: `sscc:${String(i % 100).padStart(18, '0')}`,
  value: { amount: 1_000 + (i % 5_000), scale: 2 },
  time: firstTime + i,
  document: u8aToHex(blake2AsU8a(`attribution bench record ${runTag} ${i}`, 256)),
  region: null,
  parents: [],
});

const [artifacts, records] = await Promise.all([
  run(api, dave, ARTIFACTS, artifact, 'attribution'),
  run(api, reporter, ARTIFACTS, record, 'records'),
]);

const last = first + ARTIFACTS - 1;
const ancestors = await timed(() => api.call.attributionApi.ancestors(last, 1_000_000, 0, 1_000_000));
const descendants = await timed(() => api.call.attributionApi.descendants(first, 1_000_000, 0, 1_000_000));
const pedigree = await timed(() => api.call.attributionApi.pedigree(last));
const report = {
  artifacts: { submitted: ARTIFACTS, included: artifacts.count, failed: artifacts.failed, blocks: artifacts.blocks, seconds: artifacts.seconds, perSecond: Math.round(artifacts.perSecond) },
  recordsAlongside: { included: records.count, failed: records.failed, blocks: records.blocks, seconds: records.seconds, perSecond: Math.round(records.perSecond) },
  lineage: {
    ancestorsOfLast: { found: ancestors.result.length, ms: Math.round(ancestors.ms) },
    descendantsOfFirst: { found: descendants.result.length, ms: Math.round(descendants.ms) },
    pedigreeOfLast: { datasets: pedigree.result.length, ms: Math.round(pedigree.ms) },
  },
};
console.log(JSON.stringify(report, null, 2));
await api.disconnect();
if (artifacts.failed || records.failed || artifacts.count !== ARTIFACTS) process.exit(1);
