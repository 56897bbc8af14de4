// The records benchmark: a real client (@polkadot/api) against a running dev node. It submits
// individual records and, for comparison, as many `system.remark`s (the cheapest extrinsic),
// anchors Merkle batches, verifies inclusion proofs through the runtime API, and reads the
// node's peak memory. Every rate is from the same run, measured between on-chain timestamps.
//
//   node tests/e2e/bench/records.mjs ws://127.0.0.1:9977 [node pid]
//   (scripts/bench-records.sh starts the node and runs this)

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, hexToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { readFileSync } from 'node:fs';
import { buildTree, proofOf, rootOf } from '../lib/merkle.mjs';
import { run } from './lib.mjs';

const url = process.argv[2] ?? 'ws://127.0.0.1:9977';
const nodePid = process.argv[3];
const RECORDS = Number(process.env.RECORDS ?? 20_000);
const BATCHES = Number(process.env.BATCHES ?? 10);
const LEAVES = Number(process.env.LEAVES ?? 100_000);
const PROOFS = Number(process.env.PROOFS ?? 200);

async function anchorBatches(api, pair) {
  const started = Date.now();
  const trees = [];
  const calls = [];
  for (let b = 0; b < BATCHES; b++) {
    const leaves = Array.from({ length: LEAVES }, (_, i) => blake2AsU8a(new TextEncoder().encode(`batch ${b} record ${i}`), 256));
    const tree = buildTree(leaves);
    trees.push({ leaves, tree });
    const root = rootOf(tree);
    const document = u8aToHex(blake2AsU8a(new TextEncoder().encode(`batch document ${b} ${started}`), 256));
    calls.push(api.tx.records.anchorBatch(0, root, LEAVES, document, `ipfs://batch-${b}`));
  }
  const hashedSeconds = (Date.now() - started) / 1000;
  const firstBatch = (await api.query.records.nextBatchId()).toNumber();
  const result = await run(api, pair, calls.length, (i) => calls[i], 'records');
  return { ...result, firstBatch, trees, hashedSeconds, wallSeconds: (Date.now() - started) / 1000 };
}

async function verifyProofs(api, firstBatch, trees) {
  const times = [];
  let ok = 0;
  for (let k = 0; k < PROOFS; k++) {
    const b = k % trees.length;
    const index = Math.floor(Math.random() * LEAVES);
    const { leaves, tree } = trees[b];
    const proof = proofOf(tree, index);
    const t0 = process.hrtime.bigint();
    const valid = await api.call.recordsApi.verifyInclusion(firstBatch + b, u8aToHex(leaves[index]), index, proof);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (valid.isTrue) ok++;
  }
  const changed = u8aToHex(blake2AsU8a(hexToU8a(u8aToHex(trees[0].leaves[0])), 256));
  const forged = await api.call.recordsApi.verifyInclusion(firstBatch, changed, 0, proofOf(trees[0].tree, 0));
  times.sort((a, b) => a - b);
  return { verified: ok, of: PROOFS, forgedRefused: forged.isFalse, proofHashes: proofOf(trees[0].tree, 0).length, medianMs: times[Math.floor(times.length / 2)] };
}

function peakMemoryMiB() {
  if (!nodePid) return null;
  const status = readFileSync(`/proc/${nodePid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const reporter = keyring.addFromUri('//Alice//stash'); // Acme's reporter in the dev preset
const alice = keyring.addFromUri('//Alice');
const runTag = Date.now();

// Times from an hour ago on, one ms apart: in the past, and in order within every stream.
const firstTime = Date.now() - 3_600_000;
const record = (i) => api.tx.records.submitRecord({
  metric: 0,
  subject: `sscc:${String(i % 100).padStart(18, '0')}`,
  value: { amount: 1_000 + (i % 5_000), scale: 2 },
  time: firstTime + i,
  document: u8aToHex(blake2AsU8a(new TextEncoder().encode(`record ${runTag} ${i}`), 256)),
  region: null,
  parents: [],
});
const records = await run(api, reporter, RECORDS, record, 'records');
const remarks = await run(api, alice, RECORDS, (i) => api.tx.system.remark(`r${i}`), 'system');
const batches = await anchorBatches(api, reporter);
const proofs = await verifyProofs(api, batches.firstBatch, batches.trees);
const anchoredPerSecond = (BATCHES * LEAVES) / batches.wallSeconds;

const report = {
  records: { submitted: RECORDS, included: records.count, failed: records.failed, blocks: records.blocks, seconds: records.seconds, perSecond: Math.round(records.perSecond) },
  remarks: { included: remarks.count, failed: remarks.failed, blocks: remarks.blocks, seconds: remarks.seconds, perSecond: Math.round(remarks.perSecond) },
  batches: { batches: BATCHES, leavesEach: LEAVES, hashingSeconds: batches.hashedSeconds, wallSeconds: batches.wallSeconds, anchoredPerSecond: Math.round(anchoredPerSecond), timesIndividual: Math.round(anchoredPerSecond / records.perSecond) },
  proofs,
  nodePeakMemoryMiB: peakMemoryMiB(),
};
console.log(JSON.stringify(report, null, 2));
await api.disconnect();
if (records.failed || remarks.failed || batches.failed || proofs.verified !== PROOFS || !proofs.forgedRefused) process.exit(1);
