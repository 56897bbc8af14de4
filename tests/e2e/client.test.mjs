// The integrator's client (`perfledger`, subxt) against a running dev node, on the cold-chain
// sample set that scripts/sample-data.py writes: a mapping error and malformed rows reported
// by file, line and field with nothing written for them; Acme's CSV anchored as a Merkle
// batch; Coldline's sensor readings interrupted mid-import and resumed without writing
// anything twice; Borealis's EPCIS events written as records; every written record and batch
// member verified; a changed row, batch member and proof failing verification; device-signed
// readings ingested and their signatures checked; a document's field disclosed and a hidden
// value's threshold claim proved and checked.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, randomAsHex } from '@polkadot/util-crypto';
import { startNetwork } from './lib/network.mjs';
import { connect, followHeads } from './lib/chain.mjs';
import { submit, track } from './lib/council.mjs';
import { registerDevice, signReading } from './lib/devices.mjs';

const ROOT = join(import.meta.dirname, '../..');
const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/perfledger/target');
const CLIENT = process.env.PERFLEDGER_CLIENT ?? join(targetDir, 'release/perfledger');
const MAPPINGS = join(ROOT, 'samples/cold-chain');
const TEMPERATURE = 2;
const COLDLINE = 2; // Charlie's organization

describe('the integrator client on the cold-chain sample set', () => {
  let network;
  let api;
  let url;
  let work;
  let data;
  const out = (name) => join(work, name);

  /** Runs the client; resolves with its exit code and output (never rejects on a failure). */
  const client = (args, suri) =>
    new Promise((resolve) => {
      const env = { ...process.env, PERFLEDGER_URL: url };
      if (suri) env.PERFLEDGER_SURI = suri;
      else delete env.PERFLEDGER_SURI;
      execFile(CLIENT, args, { env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
        resolve({ code: error ? error.code : 0, stdout, stderr, all: `${stdout}\n${stderr}` });
      });
    });
  const summary = (dir) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const journal = (dir) => readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const nextBatch = async () => (await api.query.records.nextBatchId()).toNumber();

  before(async () => {
    await cryptoWaitReady();
    network = await startNetwork({ chain: 'dev', names: ['alice'], portBase: 38000 });
    url = network.node('alice').wsUrl;
    api = await connect(url);
    work = mkdtempSync(join(tmpdir(), 'perfledger-client-'));
    data = join(work, 'data');
    execFileSync('python3', [join(ROOT, 'scripts/sample-data.py'), '--errors', '--out', data, '--shipments', '1500', '--readings', '20000']);
  });

  after(async () => {
    await api?.disconnect();
    await network?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('mapping errors and malformed rows are reported by file, line and field; good rows are anchored', async () => {
    const typo = join(work, 'typo.toml');
    writeFileSync(typo, readFileSync(join(MAPPINGS, 'acme-shipments.toml'), 'utf8').replace('value = ', 'valu = '));
    const refused = await client(['ingest', join(data, 'acme-shipments.csv'), '--mapping', typo, '--out', out('typo')], '//Alice//stash');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /mapping file .*typo\.toml/);
    assert.match(refused.stderr, /unknown field `valu`/);
    assert.match(refused.stderr, /line \d+/);
    assert.ok(!existsSync(out('typo')), 'nothing was written');
    const column = join(work, 'column.toml');
    writeFileSync(column, readFileSync(join(MAPPINGS, 'acme-shipments.toml'), 'utf8').replace('value = "lead_time_h"', 'value = "lead_time"'));
    const misnamed = await client(['ingest', join(data, 'acme-shipments.csv'), '--mapping', column, '--out', out('column')], '//Alice//stash');
    assert.equal(misnamed.code, 1);
    assert.match(misnamed.stderr, /`value` names column `lead_time`, which the header does not have \(it has: shipment_id, origin, destination, dispatched_at, delivered_at, lead_time_h, delivery_note\)/);

    const before = await nextBatch();
    const run = await client(['ingest', join(data, 'acme-shipments.csv'), '--mapping', join(MAPPINGS, 'acme-shipments.toml'), '--out', out('acme')], '//Alice//stash');
    assert.equal(run.code, 2, `rows were rejected: exit 2\n${run.all}`);
    assert.match(run.stderr, /acme-shipments\.csv:1502: value \(lead_time_h\): `12\.345`: 3 digits after the point/);
    assert.match(run.stderr, /acme-shipments\.csv:1503: time \(delivered_at\): `not a time`: not an RFC 3339 time/);
    assert.match(run.stderr, /acme-shipments\.csv:1504: row: malformed CSV: 4 fields where the header has 7/);
    const s = summary(out('acme'));
    assert.deepEqual([s.mode, s.rows, s.rejected, s.batches_written, s.batch_rows_written], ['batches', 1503, 3, 1, 1500]);
    assert.equal(await nextBatch(), before + 1);
    const batch = (await api.query.records.batches(before)).unwrap();
    assert.equal(batch.leaves.toNumber(), 1500, 'the three bad rows are not in the batch');
  });

  test('an interrupted import resumes and writes nothing twice; every batch member verifies', async () => {
    const args = ['ingest', join(data, 'coldline-temperature.jsonl'), '--mapping', join(MAPPINGS, 'coldline-temperature.toml'), '--out', out('coldline'), '--batch-size', '1000'];
    const before = await nextBatch();
    // One batch at a time, killed (no chance to clean up) once the first is on chain.
    const first = spawn(CLIENT, [...args, '--in-flight', '1'], { env: { ...process.env, PERFLEDGER_URL: url, PERFLEDGER_SURI: '//Charlie//stash' }, stdio: 'ignore' });
    const exited = new Promise((resolve) => first.on('exit', resolve));
    const journalFile = join(out('coldline'), 'journal.jsonl');
    // Checked at each new block, bounded in blocks (the client journals a batch once it is
    // finalized); fails at once if the first run or the node exits first.
    const exitedEarly = exited.then((code) => { throw new Error(`the first run exited (${code}) before anchoring a batch`); });
    try {
      await followHeads(api, 'best', () => existsSync(journalFile) && readFileSync(journalFile, 'utf8').includes('"batch"'),
        Promise.race([exitedEarly, network.crashed()]), 30);
    } finally {
      first.kill('SIGKILL');
    }
    await exited;
    const anchoredBefore = (await nextBatch()) - before;
    assert.ok(anchoredBefore >= 1 && anchoredBefore < 20, `interrupted after ${anchoredBefore} of 20 batches`);

    const rerun = await client(args, '//Charlie//stash');
    assert.equal(rerun.code, 2, `two malformed rows: exit 2\n${rerun.all}`);
    const s = summary(out('coldline'));
    assert.equal(s.rejected, 2);
    assert.ok(s.batches_already_on_chain >= 1, 'the first run\'s batches are recognized');
    assert.equal(s.batches_written + s.batches_already_on_chain, 20);
    assert.equal(s.batch_rows_written + s.batch_rows_already_on_chain, 20000);
    assert.match(rerun.stdout, /already on chain: +0 records, \d+ batch\(es\) holding \d+ rows \(not written again\)/);
    assert.equal((await nextBatch()) - before, 20, 'each batch anchored exactly once');

    const verified = await client(['verify', 'ingest', out('coldline')]);
    assert.equal(verified.code, 0, verified.all);
    assert.match(verified.stdout, /verified 0 records and 20 batches/);
    assert.match(verified.stdout, / 0 failed/);
  });

  test('EPCIS events become records; records, stream links and members verify', async () => {
    const run = await client(['ingest', join(data, 'borealis-receiving.epcis.json'), '--mapping', join(MAPPINGS, 'borealis-receiving.toml'), '--out', out('borealis')], '//Bob//stash');
    assert.equal(run.code, 2, run.all);
    assert.match(run.stderr, /borealis-receiving\.epcis\.json:\d+: value \(perf:onTime\): `yes`: not a decimal number/);
    const s = summary(out('borealis'));
    assert.deepEqual([s.mode, s.skipped_by_filter, s.records_written, s.rejected], ['records', 150, 150, 1]);

    const records = journal(out('borealis')).filter((e) => e.kind === 'record');
    assert.equal(new Set(records.map((r) => r.record)).size, 150);
    const verified = await client(['verify', 'ingest', out('borealis')]);
    assert.equal(verified.code, 0, verified.all);
    assert.match(verified.stdout, /verified 150 records and 0 batches/);
    const one = await client(['verify', 'record', String(records[7].record)]);
    assert.equal(one.code, 0, one.all);
    assert.match(one.stdout, /ok +record \d+: its stream's 1 hash links hold/);

    const rows = await client(['verify', 'rows', join(data, 'acme-shipments.csv'), '--mapping', join(MAPPINGS, 'acme-shipments.toml'), '--out', out('acme')]);
    assert.match(rows.stdout, /1500 checks passed, 3 failed/, 'the three rows that were never written');

    const proof = await client(['proof', '--out', out('acme'), '--line', '42']);
    assert.equal(proof.code, 0, proof.all);
    const proofFile = join(work, 'member.json');
    writeFileSync(proofFile, proof.stdout);
    const member = await client(['verify', 'member', proofFile]);
    assert.equal(member.code, 0, member.all);
    assert.match(member.stdout, /the runtime's verify_inclusion agrees/);
  });

  test('a changed row, batch member or proof fails verification', async () => {
    // An EPCIS event whose value was changed after it was written.
    const epcis = JSON.parse(readFileSync(join(data, 'borealis-receiving.epcis.json'), 'utf8'));
    const events = epcis.epcisBody.eventList;
    const index = events.findIndex((e) => e.bizStep === 'receiving' && e['perf:onTime'] === 1);
    events[index]['perf:onTime'] = 0;
    const tampered = join(work, 'tampered.epcis.json');
    writeFileSync(tampered, JSON.stringify(epcis, null, 2));
    const rows = await client(['verify', 'rows', tampered, '--mapping', join(MAPPINGS, 'borealis-receiving.toml'), '--out', out('borealis')]);
    assert.equal(rows.code, 1);
    const failures = rows.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
    assert.equal(failures.length, 2, `the changed event and the never-written one:\n${rows.stdout}`);
    assert.ok(failures.some((l) => /tampered\.epcis\.json:\d+: record \d+ holds this row's metric, subject, value and time/.test(l)));

    // A member of a batch file changed in the output directory.
    const entry = journal(out('coldline')).find((e) => e.kind === 'batch');
    const file = join(out('coldline'), entry.file);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const changed = JSON.parse(lines[5]);
    changed.amount = String(Number(changed.amount) + 1);
    lines[5] = JSON.stringify(changed);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const batch = await client(['verify', 'ingest', out('coldline')]);
    assert.equal(batch.code, 1);
    assert.match(batch.stdout, new RegExp(`FAIL +batch ${entry.batch}: .*hashes to its anchored document`));
    assert.match(batch.stdout, new RegExp(`FAIL +batch ${entry.batch}: the Merkle root of its 1000 rows is the anchored root`));
    assert.match(batch.stdout, /58 checks passed, 2 failed/, 'the other 19 batches hold');
    // Checked from the export, the changed batch's 1,000 rows are no longer proved (and the
    // two bad rows were never written); the other 19,000 are.
    const exported = await client(['verify', 'rows', join(data, 'coldline-temperature.jsonl'), '--mapping', join(MAPPINGS, 'coldline-temperature.toml'), '--out', out('coldline')]);
    assert.equal(exported.code, 1);
    assert.match(exported.stdout, /19000 checks passed, 1002 failed/);
    assert.match(exported.stdout, new RegExp(`FAIL .*coldline-temperature\\.jsonl:${changed.line}: no record or batch row has this row's document`));

    // A member proof whose value was changed.
    const proofFile = join(work, 'member.json');
    const proof = JSON.parse(readFileSync(proofFile, 'utf8'));
    proof.member.amount = String(Number(proof.member.amount) + 1);
    writeFileSync(proofFile, JSON.stringify(proof));
    const member = await client(['verify', 'member', proofFile]);
    assert.equal(member.code, 1);
    assert.match(member.stdout, /FAIL +line 42 .*is under the anchored root/);
  });

  test("a document's field is disclosed and checked, and a hidden value's threshold claim is proved", async () => {
    const document = join(work, 'delivery.json');
    writeFileSync(document, JSON.stringify({ carrier: 'Nordic Reefer AS', lead_time_h: '41.5', price_eur: '1830.00' }));
    // The opening is saved before the commit is sent: a commit the chain refuses (here from an
    // account of no organization) leaves its salts on disk, named by the document's root.
    const unsent = await client(['disclose', 'commit', document, '--out', out('refused')], '//Nobody');
    assert.notEqual(unsent.code, 0, unsent.all);
    const pending = readdirSync(out('refused')).filter((f) => /^commitment-pending-[0-9a-f]{64}\.json$/.test(f));
    assert.equal(pending.length, 1, unsent.all);
    assert.match(unsent.stderr, /its opening stays in .*commitment-pending-/);
    const saved = JSON.parse(readFileSync(join(out('refused'), pending[0]), 'utf8'));
    assert.equal(saved.commitment, null);
    assert.equal(saved.salts.length, 3);

    const committed = await client(['disclose', 'commit', document, '--out', out('disclose')], '//Alice//stash');
    assert.equal(committed.code, 0, committed.all);
    const id = Number(committed.stdout.match(/^commitment (\d+) \(3 fields/)[1]);
    assert.deepEqual(readdirSync(out('disclose')), [`commitment-${id}.json`], 'the pending file gives way to the final one');
    const field = await client(['disclose', 'field', join(out('disclose'), `commitment-${id}.json`), '--field', 'lead_time_h']);
    assert.equal(field.code, 0, field.all);
    const disclosure = join(work, 'disclosure.json');
    writeFileSync(disclosure, field.stdout);
    const checked = await client(['disclose', 'verify', disclosure]);
    assert.equal(checked.code, 0, checked.all);
    assert.match(checked.stdout, /ok +field `lead_time_h` = "41\.5" .*the runtime's verify_field/);
    writeFileSync(disclosure, field.stdout.replace('"41.5"', '"40.5"'));
    const forged = await client(['disclose', 'verify', disclosure]);
    assert.equal(forged.code, 1, 'another value does not open the commitment');
    assert.match(forged.stdout, /FAIL .*verify_field \(Err\(Mismatch\)\)/);

    const value = await client(['prove', 'commit', '--metric', '0', '--subject', 'sscc:client-test', '--period', '20000', '--value', '41.5', '--out', out('prove')], '//Alice//stash');
    assert.equal(value.code, 0, value.all);
    const opening = join(out('prove'), `value-${value.stdout.match(/^value (\d+) committed/)[1]}.json`);
    const claim = await client(['prove', 'threshold', opening, '--at-most', '48', '--submit'], '//Alice//stash');
    assert.equal(claim.code, 0, claim.all);
    const proof = join(work, 'claim.json');
    writeFileSync(proof, claim.stdout);
    const holds = await client(['prove', 'verify', proof]);
    assert.equal(holds.code, 0, holds.all);
    assert.match(holds.stdout, /ok +value \d+ is AtMost 4800/);
    const false_ = await client(['prove', 'threshold', opening, '--at-most', '40']);
    assert.equal(false_.code, 1);
    assert.match(false_.stderr, /the claim is false: the committed value is not AtMost 40/);
    const stretched = JSON.parse(claim.stdout);
    writeFileSync(proof, JSON.stringify({ ...stretched, threshold: 4000 }));
    const refused = await client(['prove', 'verify', proof]);
    assert.equal(refused.code, 1, 'the proof of "at most 48" does not prove "at most 40"');
  });

  // Already written means written by this signer's organization with this row's content: a
  // record of another organization that holds the row's document (copied from the export, or
  // from the pool) neither makes the row written nor blocks it: each organization uses a
  // document hash once, in its own streams, so the row is written as Acme's.
  test("a row whose document another organization's record holds is written as this organization's, not counted as written", async () => {
    const keyring = new Keyring({ type: 'sr25519' });
    const now = (await api.query.timestamp.now()).toNumber();
    const [copied, own] = [randomAsHex(32), randomAsHex(32)];
    // Borealis's record holds the document first, dated later than Acme's rows, about the same
    // shipment: under one stream per subject it would have blocked Acme's rows too.
    await track(api, api.tx.records.submitRecord({
      metric: 0, subject: 'sscc:front-run-a', value: { amount: 100, scale: 2 }, time: now - 10_000, document: copied, region: null, parents: [],
    }), keyring.addFromUri('//Bob//stash'), { until: 'finalized', abort: network.crashed() });
    const export_ = join(work, 'front-run.csv');
    writeFileSync(export_, `shipment,at,hours,note\nfront-run-a,${now - 60_000},12.50,${copied}\nfront-run-b,${now - 59_000},13.25,${own}\n`);
    const mapping = join(work, 'front-run.toml');
    writeFileSync(mapping, [
      'format = "csv"', 'metric = 0', 'subject = { field = "shipment", prefix = "sscc:" }',
      'time = { field = "at", format = "unix_ms" }', 'value = "hours"', 'document = "note"', '',
    ].join('\n'));
    const run = await client(['ingest', export_, '--mapping', mapping, '--out', out('front-run'), '--mode', 'records'], '//Alice//stash');
    assert.equal(run.code, 0, run.all);
    const written = journal(out('front-run')).sort((a, b) => a.line - b.line);
    assert.deepEqual(written.map((w) => [w.kind, w.line]), [['record', 2], ['record', 3]], 'both rows, each once');
    assert.equal(summary(out('front-run')).records_already_on_chain, 0, "Borealis's record is not counted as Acme's row");
    // The row's record is Acme's, with the row's value; Borealis's record is untouched.
    const uses = (await api.query.records.documents.entries(copied)).map(([key, used]) => [key.args[1].toNumber(), used.toJSON()]);
    assert.equal(uses.length, 2, 'each organization used the document once');
    const acme = uses.find(([organization]) => organization === 0)[1].record;
    assert.equal(acme, written[0].record);
    const row = (await api.call.recordsApi.record(acme)).unwrap().record;
    assert.equal(row.value.toNumber(), 1250);
    // Verifying the export for Acme finds both rows as written.
    const rows = await client(['verify', 'rows', export_, '--mapping', mapping, '--out', out('front-run'), '--organization', '0']);
    assert.equal(rows.code, 0, rows.all);
  });

  test('device-signed readings are ingested as unsigned transactions and their signatures verify', async () => {
    const keyring = new Keyring({ type: 'sr25519' });
    const charlie = keyring.addFromUri('//Charlie'); // Coldline's admin
    const manager = keyring.addFromUri('//Ferdie');
    const device = keyring.addFromUri(`//Reefer/${Date.now()}`);
    await submit(api, api.tx.permissions.grantRole(manager.address, 'DeviceManager', { metrics: [], region: null }, null), charlie);
    await registerDevice(api, device, [TEMPERATURE], manager, COLDLINE);

    // The device's gateway exports each reading with the device's signature over it.
    const readingType = api.tx.records.submitDeviceReading.meta.args[0].type.toString();
    const now = (await api.query.timestamp.now()).toNumber();
    const rows = [1, 2].map((counter) => {
      const row = { device: device.address, counter, shipment: 'sscc:00000000000000042', at: now - 60_000 + counter, celsius: (30 + counter) / 10, reading: randomAsHex(32) };
      const reading = api.createType(readingType, {
        device: row.device,
        counter,
        record: { metric: TEMPERATURE, subject: row.shipment, value: { amount: 30 + counter, scale: 1 }, time: row.at, document: row.reading, region: null, parents: [] },
      });
      return { ...row, signature: `sr25519:${u8aToHex(signReading(api, device, reading))}` };
    });
    const export_ = join(work, 'signed.jsonl');
    writeFileSync(export_, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const mapping = join(work, 'signed.toml');
    writeFileSync(mapping, [
      'format = "jsonl"', 'metric = 2', 'subject = "shipment"', 'time = { field = "at", format = "unix_ms" }',
      'value = "celsius"', 'document = "reading"',
      'device = { device = "device", counter = "counter", signature = "signature" }', '',
    ].join('\n'));
    const run = await client(['ingest', export_, '--mapping', mapping, '--out', out('signed'), '--mode', 'records'], '//Charlie//stash');
    assert.equal(run.code, 0, run.all);
    const written = journal(out('signed'));
    assert.equal(written.length, 2);
    const verified = await client(['verify', 'record', String(written[1].record)]);
    assert.equal(verified.code, 0, verified.all);
    assert.match(verified.stdout, /ok +record \d+: device \w+'s sr25519 signature over the reading verifies/);
    assert.match(verified.stdout, /its stream's 2 hash links hold/);
  });
});
