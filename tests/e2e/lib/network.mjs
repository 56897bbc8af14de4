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
 * network started by scripts/start-local-network.sh.
 */
export async function startNetwork({ chain, names, portBase, extraArgs = [] }) {
  if (!existsSync(NODE_BIN)) {
    throw new Error(`no node binary at ${NODE_BIN}: run scripts/setup.sh --no-start`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'perfledger-e2e-'));
  const bootnode = `/ip4/127.0.0.1/tcp/${portBase}/p2p/${peerId(0)}`;
  const nodes = names.map((name, i) => {
    const basePath = join(dir, name);
    mkdirSync(basePath);
    const node = {
      name,
      p2pPort: portBase + i,
      rpcPort: portBase + 1000 + i,
      basePath,
      logFile: join(basePath, 'node.log'),
    };
    node.wsUrl = `ws://127.0.0.1:${node.rpcPort}`;
    const args = [
      '--chain', chain, `--${name}`,
      '--base-path', basePath,
      '--node-key', nodeKey(i),
      '--port', String(node.p2pPort),
      '--rpc-port', String(node.rpcPort),
      '--prometheus-port', String(portBase + 2000 + i),
      '--no-mdns', '--no-telemetry',
      ...(i > 0 ? ['--bootnodes', bootnode] : []),
      ...extraArgs,
    ];
    const out = openSync(node.logFile, 'a');
    node.process = spawn(NODE_BIN, args, { stdio: ['ignore', out, out] });
    node.exited = new Promise((resolve) => node.process.on('exit', (code, signal) => {
      running.delete(node.process);
      node.exitStatus = { code, signal };
      resolve(node.exitStatus);
    }));
    running.add(node.process);
    return node;
  });

  const network = {
    dir,
    nodes,
    node: (name) => nodes.find((n) => n.name === name),
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
    /** Rejects as soon as any node that was not asked to stop exits. */
    crashed() {
      return Promise.race(nodes.map((n) => n.exited.then((status) => {
        throw new Error(`${n.name} exited (${JSON.stringify(status)}):\n${logTail(n)}`);
      })));
    },
  };

  try {
    await Promise.all(nodes.map((n) => rpcReady(n)));
  } catch (error) {
    await network.stop();
    throw error;
  }
  return network;
}

/** Resolves once the node logs that its RPC server runs; rejects if the node exits first. */
async function rpcReady(node) {
  for (;;) {
    if (node.exitStatus) {
      throw new Error(`${node.name} exited before serving RPC:\n${logTail(node)}`);
    }
    if (existsSync(node.logFile) && readFileSync(node.logFile, 'utf8').includes('Running JSON-RPC server')) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
