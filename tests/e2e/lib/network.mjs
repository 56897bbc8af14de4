// Starts real perfledger-node processes on loopback for the end-to-end tests, and stops
// them in every outcome (test failure, exception, Ctrl-C).

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readFileSync, existsSync, openSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';

const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/perfledger/target');
export const NODE_BIN = process.env.PERFLEDGER_NODE ?? join(targetDir, 'release/perfledger-node');

const running = new Set();
function killAll() {
  for (const child of running) child.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { killAll(); process.exit(130); });
}

// Well-known development node keys: node i has the secret 0x00..0(i+1).
const nodeKey = (i) => (i + 1).toString(16).padStart(64, '0');

function peerId(i) {
  return execFileSync(NODE_BIN, ['key', 'inspect-node-key'], { input: nodeKey(i) })
    .toString().trim();
}

/** The last lines of a node's log, for failure messages. */
export function logTail(node, lines = 30) {
  if (!existsSync(node.logFile)) return '(no log)';
  return readFileSync(node.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Starts one node per name (`alice`, `bob`, ...), each a validator with that dev identity,
 * on ports derived from `portBase` so that suites never collide with each other or with a
 * network started by scripts/start-local-network.sh. Node i uses the dev node key i + 1.
 */
export async function startNetwork({ chain, names, portBase, extraArgs = [] }) {
  if (!existsSync(NODE_BIN)) {
    throw new Error(`no node binary at ${NODE_BIN}: run scripts/setup.sh --no-start`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'perfledger-e2e-'));
  const bootnode = `/ip4/127.0.0.1/tcp/${portBase}/p2p/${peerId(0)}`;
  const nodes = [];

  // Without `devKeys`, the node is still a validator but has none of the dev identity's keys:
  // no `--alice`-style flag (whose keys live only in memory), and a new, empty keystore.
  const spawnNode = (name, i = nodes.length, { devKeys = true } = {}) => {
    const basePath = join(dir, name);
    mkdirSync(basePath, { recursive: true });
    const node = {
      name,
      peerId: peerId(i),
      p2pPort: portBase + i,
      rpcPort: portBase + 1000 + i,
      basePath,
      logFile: join(basePath, 'node.log'),
    };
    node.wsUrl = `ws://127.0.0.1:${node.rpcPort}`;
    const identity = devKeys
      ? [`--${name}`]
      : ['--validator', '--name', name, '--keystore-path', mkdtempSync(join(basePath, 'keystore-'))];
    const args = [
      '--chain', chain, ...identity,
      '--base-path', basePath,
      '--node-key', nodeKey(i),
      '--port', String(node.p2pPort),
      '--rpc-port', String(node.rpcPort),
      '--prometheus-port', String(portBase + 2000 + i),
      '--no-mdns', '--no-telemetry',
      ...(i > 0 ? ['--bootnodes', bootnode] : []),
      ...extraArgs,
    ];
    // A restarted node appends to its log: readiness is judged on what it writes from here on.
    node.logOffset = existsSync(node.logFile) ? readFileSync(node.logFile).length : 0;
    const out = openSync(node.logFile, 'a');
    node.process = spawn(NODE_BIN, args, { stdio: ['ignore', out, out] });
    node.exited = new Promise((resolve) => node.process.on('exit', (code, signal) => {
      running.delete(node.process);
      node.exitStatus = { code, signal };
      resolve(node.exitStatus);
    }));
    running.add(node.process);
    nodes[i] = node;
    return node;
  };

  const network = {
    dir,
    nodes,
    node: (name) => nodes.find((n) => n.name === name),
    /** Starts one more node (dev identity `name`, the next node key) and waits for its RPC. */
    async addNode(name) {
      const node = spawnNode(name);
      await rpcReady(node);
      return node;
    },
    /**
     * Stops a node and starts it again with the same database, node key and ports. With
     * `{ devKeys: false }` it comes back as a validator whose keystore was lost: no session keys
     * until it makes new ones (`author_rotateKeys`).
     */
    async restartNode(name, { devKeys = true } = {}) {
      await network.stopNode(name);
      const node = spawnNode(name, nodes.indexOf(network.node(name)), { devKeys });
      await rpcReady(node);
      return node;
    },
    /** Stops one node with SIGINT, as an operator would, and waits for it to exit. */
    async stopNode(name) {
      const node = network.node(name);
      if (node.exitStatus) return node.exitStatus;
      node.process.kill('SIGINT');
      return node.exited;
    },
    async stop() {
      await Promise.all(nodes.map((n) => network.stopNode(n.name)));
      rmSync(dir, { recursive: true, force: true });
    },
    /** Rejects as soon as one of `names` (default: every node) exits. */
    crashed(names = nodes.map((n) => n.name)) {
      return Promise.race(names.map((name) => network.node(name)).map((n) => n.exited.then((status) => {
        throw new Error(`${n.name} exited (${JSON.stringify(status)}):\n${logTail(n)}`);
      })));
    },
  };

  names.forEach((name, i) => spawnNode(name, i));
  try {
    await Promise.all(nodes.map((n) => rpcReady(n)));
  } catch (error) {
    await network.stop();
    throw error;
  }
  return network;
}

/** The bytes of a base58 libp2p peer id, as `pallet-node-authorization` stores it. */
export function peerIdBytes(peerIdText) {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = 0n;
  for (const ch of peerIdText) n = n * 58n + BigInt(alphabet.indexOf(ch));
  const bytes = [];
  for (; n > 0n; n >>= 8n) bytes.unshift(Number(n & 0xffn));
  const zeros = peerIdText.length - peerIdText.replace(/^1+/, '').length;
  return Uint8Array.from([...new Array(zeros).fill(0), ...bytes]);
}

/** Resolves once the node logs that its RPC server runs; rejects if the node exits first. */
async function rpcReady(node) {
  for (;;) {
    if (node.exitStatus) {
      throw new Error(`${node.name} exited before serving RPC:\n${logTail(node)}`);
    }
    if (existsSync(node.logFile) &&
      readFileSync(node.logFile).subarray(node.logOffset).toString('utf8').includes('Running JSON-RPC server')) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
