// Attribution end to end, through the integrator client (`perfledger model`, `attribution`,
// `royalties`) on a dev node: Coldline contributes a dataset (10% royalty), Borealis a base
// model trained on it, Acme a fine-tune (its weights a .safetensors file); a changed tensor
// fails verification by name; a derivative of a model that forbids derivatives is refused with
// the pallet's error; Borealis's and Coldline's evaluators compute exact Shapley scores with
// their own evaluation commands and submit them in the commit-reveal round; Charlie licenses
// the fine-tune; every party's claim equals the expected split to the last unit.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startNetwork } from './lib/network.mjs';
import { connect } from './lib/chain.mjs';
import { submit } from './lib/council.mjs';

const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/perfledger/target');
const CLIENT = process.env.PERFLEDGER_CLIENT ?? join(targetDir, 'release/perfledger');
const POINTS = 1_000_000n;

/** A safetensors file of float32 tensors (name -> values), with `note` in its metadata. */
function safetensors(tensors, note) {
  const header = { __metadata__: { note } };
  const data = [];
  let offset = 0;
  for (const [name, values] of Object.entries(tensors)) {
    const bytes = Buffer.from(new Float32Array(values).buffer);
    header[name] = { dtype: 'F32', shape: [values.length], data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    data.push(bytes);
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, ...data]);
}

/** Lower medians of the vectors, as points adding up to 1,000,000 by largest remainder. */
function finalPoints(accounts, vectors) {
  const medians = accounts.map((a) => {
    const values = vectors.map((v) => BigInt(v[a] ?? 0)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    return values[Math.floor((values.length - 1) / 2)];
  });
  const total = medians.reduce((s, m) => s + m, 0n);
  const points = medians.map((m) => (m * POINTS) / total);
  let left = POINTS - points.reduce((s, p) => s + p, 0n);
  const order = accounts.map((_, i) => i).sort((i, j) => {
    const ri = (medians[i] * POINTS) % total;
    const rj = (medians[j] * POINTS) % total;
    return ri === rj ? i - j : rj > ri ? 1 : -1;
  });
  for (const i of order) if (left-- > 0n) points[i] += 1n;
  return Object.fromEntries(accounts.map((a, i) => [a, points[i]]));
}

describe('attribution through the client: lineage, scores, a license fee split exactly', () => {
  let network;
  let api;
  let url;
  let work;
  let keyring;
  const ids = {};

  /** Runs the client as `suri`; resolves with its exit code and output. */
  const client = (args, suri) =>
    new Promise((resolve) => {
      const env = { ...process.env, PERFLEDGER_URL: url, PERFLEDGER_HOME: join(work, 'home') };
      if (suri) env.PERFLEDGER_SURI = suri;
      else delete env.PERFLEDGER_SURI;
      execFile(CLIENT, args, { env, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
        resolve({ code: error ? error.code : 0, stdout, stderr, all: `${stdout}\n${stderr}` });
      });
    });
  const ok = async (args, suri) => {
    const run = await client(args, suri);
    assert.equal(run.code, 0, `perfledger ${args.join(' ')}: ${run.all}`);
    return run.stdout;
  };
  const address = (uri) => keyring.addFromUri(uri).address;

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519' });
    network = await startNetwork({ chain: 'dev', names: ['alice'], portBase: 40000 });
    url = network.node('alice').wsUrl;
    api = await connect(url);
    work = mkdtempSync(join(tmpdir(), 'perfledger-attribution-'));
    // Contributors: Dave for Acme, Eve for Borealis, Ferdie for Coldline; evaluators:
    // Borealis's and Coldline's stash accounts. Each organization's admin grants them.
    const grants = [
      ['//Alice', '//Dave', 'ModelContributor'],
      ['//Bob', '//Eve', 'ModelContributor'],
      ['//Charlie', '//Ferdie', 'ModelContributor'],
      ['//Bob', '//Bob//stash', 'Evaluator'],
      ['//Charlie', '//Charlie//stash', 'Evaluator'],
    ];
    // Each admin's grants one after the other, the admins side by side.
    const byAdmin = new Map();
    for (const grant of grants) byAdmin.set(grant[0], [...(byAdmin.get(grant[0]) ?? []), grant]);
    await Promise.all([...byAdmin.values()].map(async (list) => {
      for (const [admin, who, role] of list) {
        await submit(api, api.tx.permissions.grantRole(address(who), role, { metrics: [], region: null }, null), keyring.addFromUri(admin));
      }
    }));
  });

  after(async () => {
    await api?.disconnect();
    await network?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('three organizations register a dataset, a base model and a fine-tune; lineage, verification and refusals', async () => {
    writeFileSync(join(work, 'data-license.txt'), 'Coldline Data License 1.0: training and derivatives allowed, 10% royalty.');
    writeFileSync(join(work, 'open-license.txt'), 'Open Model License.');
    writeFileSync(join(work, 'closed-license.txt'), 'No derivatives.');
    const license = async (args, suri) => Number((await ok(['model', 'license', ...args], suri)).match(/license (\d+)/)[1]);
    [ids.dataLicense, ids.open, ids.closed] = await Promise.all([
      license(['--derivatives', '--training', '--commercial', '--royalty', '10', '--text', join(work, 'data-license.txt')], '//Ferdie'),
      license(['--derivatives', '--training', '--commercial', '--text', join(work, 'open-license.txt')], '//Dave'),
      license(['--training', '--commercial', '--text', join(work, 'closed-license.txt')], '//Eve'),
    ]);

    const dataset = join(work, 'readings');
    mkdirSync(join(dataset, 'sites'), { recursive: true });
    writeFileSync(join(dataset, 'sites', 'rotterdam.csv'), 'temp,label\n4.1,ok\n9.7,warm\n');
    writeFileSync(join(dataset, 'README'), 'Cold-chain readings, 2026.');
    const commit = async (path, kind, parents, license, suri) => {
      const args = ['model', 'commit', path, '--kind', kind, '--license', String(license)];
      for (const p of parents) args.push('--parent', String(p));
      const out = await ok(args, suri);
      return Number(out.match(/^artifact (\d+)/m)[1]);
    };
    // Coldline's dataset, and (side by side) a model of Borealis that forbids derivatives.
    writeFileSync(join(work, 'closed.safetensors'), safetensors({ w: [1, 2] }, 'closed'));
    let closed;
    [ids.dataset, closed] = await Promise.all([
      commit(dataset, 'dataset', [], ids.dataLicense, '//Ferdie'),
      commit(join(work, 'closed.safetensors'), 'checkpoint', [], ids.closed, '//Eve'),
    ]);
    writeFileSync(join(work, 'base.safetensors'), safetensors({ 'layer.0.weight': [0.5, -0.25, 1], 'layer.0.bias': [0.1] }, 'pretrained'));
    ids.base = await commit(join(work, 'base.safetensors'), 'checkpoint', [ids.dataset], ids.open, '//Eve');
    const tuned = join(work, 'tuned.safetensors');
    writeFileSync(tuned, safetensors({ 'layer.0.weight': [0.55, -0.2, 0.9], 'layer.0.bias': [0.12] }, 'epoch 3'));
    ids.tuned = await commit(tuned, 'checkpoint', [ids.base, ids.dataset], ids.open, '//Dave');

    // Borealis evaluates the fine-tune: its evaluation (code, data, results) is an artifact too.
    mkdirSync(join(work, 'evaluation'));
    writeFileSync(join(work, 'evaluation', 'eval.py'), 'print(0.93)');
    writeFileSync(join(work, 'evaluation', 'results.json'), '{"accuracy": 0.93}');
    // Side by side: Borealis's evaluation, and Acme's derivative of the closed model (refused,
    // nothing written).
    writeFileSync(join(work, 'derived.safetensors'), safetensors({ w: [1, 3] }, 'derived'));
    let refused;
    [ids.evaluation, refused] = await Promise.all([
      commit(join(work, 'evaluation'), 'evaluation', [ids.tuned], ids.open, '//Eve'),
      client(['model', 'commit', join(work, 'derived.safetensors'), '--kind', 'checkpoint', '--parent', String(closed), '--license', String(ids.open)], '//Dave'),
    ]);
    assert.equal(refused.code, 1, refused.all);
    assert.match(refused.stderr, /DerivativeForbidden/);
    assert.match(refused.stderr, /forbids derivatives/);
    assert.equal((await api.query.attribution.nextArtifactId()).toNumber(), ids.evaluation + 1, 'nothing else was registered');

    // The URI left out is the bytes' CID, stored as given.
    const artifact = (await api.query.attribution.artifacts(ids.dataset)).unwrap();
    assert.match(artifact.uri.toUtf8(), /^ipfs:\/\/bafy/);

    // The same weights saved again with another header are the same artifact; a changed
    // tensor is named.
    writeFileSync(tuned, safetensors({ 'layer.0.bias': [0.12], 'layer.0.weight': [0.55, -0.2, 0.9] }, 'saved again'));
    assert.match(await ok(['model', 'verify', tuned, String(ids.tuned)]), /^ok /m);
    writeFileSync(tuned, safetensors({ 'layer.0.weight': [0.55, -0.2, 0.9], 'layer.0.bias': [0.13] }, 'epoch 3'));
    const changed = await client(['model', 'verify', tuned, String(ids.tuned)]);
    assert.equal(changed.code, 1, changed.all);
    assert.match(changed.stdout, /tensor layer\.0\.bias changed/);

    // Lineage: ancestors, and the pedigree names the dataset with its license.
    const lineage = await ok(['model', 'lineage', String(ids.tuned)]);
    assert.match(lineage, new RegExp(`ancestors: 2`));
    assert.match(lineage, new RegExp(`descendants: 1\\n\\s+1  artifact ${ids.evaluation} \\(evaluation`));
    assert.match(lineage, new RegExp(`royalty 10\\.0000% to ${address('//Ferdie')} \\(artifact ${ids.dataset}\\)`));
    assert.match(lineage, new RegExp(`dataset ${ids.dataset} by ${address('//Ferdie')} \\(organization 2\\), license ${ids.dataLicense}`));

  });

  test('two evaluators score in the commit-reveal round; a license fee is split exactly and every party claims it', async () => {
    const [dave, eve, ferdie] = ['//Dave', '//Eve', '//Ferdie'].map(address);
    // Acme's admin opens the round of Acme's fine-tune (Borealis's evaluator may not).
    const wrong = await client(['attribution', 'open', String(ids.tuned)], '//Bob//stash');
    assert.notEqual(wrong.code, 0);
    // Acme's admin opens the round and offers licenses (bought once the scores are final).
    const fee = 1_234_567_891_234_567n;
    await ok(['attribution', 'open', String(ids.tuned), '--commit-blocks', '10', '--reveal-blocks', '10'], '//Alice');
    const offered = ok(['model', 'offer', String(ids.tuned), '--fee', String(fee)], '//Alice');

    // Each evaluator's own evaluation: accuracy of a model built from a coalition, by awk.
    // Borealis's and Coldline's measure slightly differently.
    const evaluation = (weights) =>
      `awk -v c=",{coalition}," 'BEGIN { u = 0; if (index(c, ",data,")) u += ${weights[0]}; if (index(c, ",base,")) u += ${weights[1]}; if (index(c, ",tune,")) u += ${weights[2]}; if (index(c, ",data,") && index(c, ",tune,")) u += ${weights[3]}; print u }'`;
    const specs = ['--contributor', `data=${ferdie}`, '--contributor', `base=${eve}`, '--contributor', `tune=${dave}`];
    const vectors = [];
    const runs = [];
    for (const [suri, weights, name] of [['//Bob//stash', [0.30, 0.25, 0.20, 0.10], 'borealis'], ['//Charlie//stash', [0.35, 0.20, 0.15, 0.06], 'coldline']]) {
      const scores = join(work, `${name}-scores.json`);
      await ok(['attribution', 'score', ...specs, '--utility-cmd', evaluation(weights), '--out', scores]);
      const again = join(work, `${name}-again.json`);
      await ok(['attribution', 'score', ...specs, '--utility-cmd', evaluation(weights), '--out', again]);
      assert.equal(readFileSync(again, 'utf8'), readFileSync(scores, 'utf8'), 'a second run gives the identical vector');
      const file = JSON.parse(readFileSync(scores, 'utf8'));
      vectors.push(Object.fromEntries(file.contributors.map((c) => [c.account, c.score])));
      writeFileSync(join(work, `${name}-eval.py`), `# ${name}'s evaluation`);
      runs.push(ok(['attribution', 'submit', String(ids.tuned), '--scores', scores, '--code', join(work, `${name}-eval.py`), '--data', join(work, 'readings'), '--out', join(work, name)], suri));
    }
    await Promise.all([...runs, offered]);
    // After the reveal phase (ten blocks), anyone closes the round.
    const round = (await api.query.attribution.rounds(ids.tuned)).unwrap();
    for (let i = 0; i < 40 && (await api.rpc.chain.getHeader()).number.toNumber() <= round.revealUntil.toNumber(); i++) {
      await new Promise((r) => setTimeout(r, 3000));
    }
    await ok(['attribution', 'finalize', String(ids.tuned)], '//Charlie');
    const expectedPoints = finalPoints([dave, eve, ferdie], vectors);
    for (const who of [dave, eve, ferdie]) {
      const points = (await api.query.attribution.scores(ids.tuned, who)).unwrap().toBigInt();
      assert.equal(points, expectedPoints[who], `the final points of ${who}`);
    }

    // Charlie (Coldline's admin) buys a license.
    await ok(['model', 'buy', String(ids.tuned), '--fee', String(fee)], '//Charlie');

    // The split: Coldline's 10% first, rounded down; the rest per point, rounded down; what is
    // left to the fine-tune's contributor (Dave).
    const royalty = fee / 10n;
    const perPoint = (fee - royalty) / POINTS;
    const remainder = fee - royalty - perPoint * POINTS;
    const expected = {
      [dave]: expectedPoints[dave] * perPoint + remainder,
      [eve]: expectedPoints[eve] * perPoint,
      [ferdie]: expectedPoints[ferdie] * perPoint + royalty,
    };
    await Promise.all([['//Dave', dave], ['//Eve', eve], ['//Ferdie', ferdie]].map(async ([suri, who]) => {
      const status = await ok(['royalties', 'status', String(ids.tuned)], suri);
      assert.match(status, new RegExp(`may claim ${expected[who]}$`, 'm'), status);
      const claimed = await ok(['royalties', 'claim', String(ids.tuned)], suri);
      assert.match(claimed, new RegExp(`^claimed ${expected[who]} from`, 'm'), claimed);
    }));
    assert.equal(expected[dave] + expected[eve] + expected[ferdie], fee, 'every unit of the fee is claimed');
    const nothing = await client(['royalties', 'claim', String(ids.tuned)], '//Dave');
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /NothingToClaim/);
  });
});
