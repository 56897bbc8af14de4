// The client's IPFS CIDs against an independent implementation: `perfledger model digest`
// (client/src/cid.rs) and the npm package ipfs-unixfs-importer, configured as
// `ipfs add --cid-version 1` is (256 KiB fixed-size chunks, raw leaves, balanced DAG of 174
// links), on files of the sizes where the DAG's shape changes and on a nested directory.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';

const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/perfledger/target');
const CLIENT = process.env.PERFLEDGER_CLIENT ?? join(targetDir, 'release/perfledger');
const CHUNK = 262144;

/** Deterministic pseudo-random bytes (SHA-256 in counter mode). */
function bytes(length, seed) {
  const out = Buffer.alloc(length);
  for (let offset = 0, i = 0; offset < length; i++) {
    const block = createHash('sha256').update(`${seed}:${i}`).digest();
    offset += block.copy(out, offset);
  }
  return out;
}

/** The CID the npm importer gives `entries` ({ path, content }); the last entry is the root. */
async function jsCid(entries) {
  const blockstore = { put: async (cid) => cid };
  const options = {
    cidVersion: 1,
    rawLeaves: true,
    chunker: fixedSize({ chunkSize: CHUNK }),
    layout: balanced({ maxChildrenPerNode: 174 }),
  };
  let last;
  for await (const entry of importer(entries, blockstore, options)) last = entry;
  return last.cid.toString();
}

/** The client's CID of `path`. */
function clientCid(path) {
  const out = execFileSync(CLIENT, ['model', 'digest', path], { encoding: 'utf8' });
  return out.match(/^cid (\S+)$/m)[1];
}

describe('IPFS CIDs agree with ipfs-unixfs-importer', () => {
  let work;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'perfledger-cid-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('files: one raw leaf, a node of leaves, and a two-level tree', async () => {
    // 175 full chunks and one byte: the leaves do not fit one node of 174 links.
    for (const size of [0, 1, CHUNK, CHUNK + 1, 3 * CHUNK + 7, 174 * CHUNK, 175 * CHUNK + 1]) {
      const path = join(work, `file-${size}`);
      const content = bytes(size, size);
      writeFileSync(path, content);
      assert.equal(clientCid(path), await jsCid([{ content }]), `a file of ${size} bytes`);
    }
  });

  test('a nested directory', async () => {
    const root = join(work, 'model');
    mkdirSync(join(root, 'tokenizer'), { recursive: true });
    writeFileSync(join(root, 'config.json'), '{"layers": 2}');
    writeFileSync(join(root, 'weights.bin'), bytes(2 * CHUNK + 3, 'w'));
    writeFileSync(join(root, 'tokenizer', 'vocab.txt'), 'a\nb\nc\n');
    writeFileSync(join(root, 'tokenizer', 'empty'), '');
    const walk = (dir) => readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [{ path: join('model', relative(root, path)), content: readFileSync(path) }];
    });
    assert.equal(clientCid(root), await jsCid(walk(root)));
  });
});
