// Shared by the CLI shims in test/support/bin. Each shim mimics one real tool's arguments, output
// and exit codes (recorded from the tools and their source), and records every call:
//
//   SLIPWAY_SHIM_LOG    JSON lines file; one {tool, args, stdin?, parent?} per call
//   SLIPWAY_SHIM_STATE  directory with state.json: containers and images the fake Docker "has"
//
// A shim that runs another tool (kind runs docker, as the real kind does) marks the child's
// records with `parent`, so tests can tell Slipway's own calls from the tools' internal ones.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** What Docker's clients say when no daemon answers; they name the socket they tried (DOCKER_HOST). */
export const DOCKER_DOWN = `Cannot connect to the Docker daemon at ${process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'}. Is the docker daemon running?`;

export function readStdin() {
  try {
    return fs.readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

export function record(tool, args, stdin) {
  const log = process.env.SLIPWAY_SHIM_LOG;
  if (!log) return;
  const entry = { tool, args };
  if (stdin !== undefined) entry.stdin = stdin;
  if (process.env.SLIPWAY_SHIM_PARENT) entry.parent = process.env.SLIPWAY_SHIM_PARENT;
  fs.appendFileSync(log, JSON.stringify(entry) + '\n');
}

function statePath() {
  const dir = process.env.SLIPWAY_SHIM_STATE;
  if (!dir) return null;
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, 'state.json');
}

/** { containers: [{name, labels, state, cluster, role, mounts?, gpus?}], images: {ref: id}, kubeconfigs: {key: yaml} } */
export function loadState() {
  const file = statePath();
  const empty = { containers: [], images: {}, kubeconfigs: {} };
  if (!file || !fs.existsSync(file)) return empty;
  return { ...empty, ...JSON.parse(fs.readFileSync(file, 'utf8')) };
}

export function saveState(state) {
  const file = statePath();
  if (file) fs.writeFileSync(file, JSON.stringify(state, null, 2));
}

/** `--flag value` and `--flag=value` (last wins); booleans when no value follows. */
export function flag(args, ...names) {
  let value;
  for (let i = 0; i < args.length; i++) {
    for (const name of names) {
      if (args[i] === name) value = args[i + 1] !== undefined && (args[i + 1] === '-' || !args[i + 1].startsWith('-')) ? args[i + 1] : 'true';
      else if (args[i].startsWith(name + '=')) value = args[i].slice(name.length + 1);
    }
  }
  return value;
}

export function flagAll(args, ...names) {
  const values = [];
  for (let i = 0; i < args.length; i++) {
    for (const name of names) {
      if (args[i] === name && args[i + 1] !== undefined) values.push(args[i + 1]);
      else if (args[i].startsWith(name + '=')) values.push(args[i].slice(name.length + 1));
    }
  }
  return values;
}

/** Runs `docker` from PATH the way kind does; returns {ok, stdout, error} like Go's exec. */
export function runDocker(parent, args) {
  try {
    const stdout = execFileSync('docker', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SLIPWAY_SHIM_PARENT: parent },
    });
    return { ok: true, stdout };
  } catch (error) {
    if (error.code === 'ENOENT') return { ok: false, stdout: '', output: '', error: 'exec: "docker": executable file not found in $PATH' };
    return { ok: false, stdout: error.stdout ?? '', output: `${error.stdout ?? ''}${error.stderr ?? ''}`.trim(), error: `exit status ${error.status}` };
  }
}

/** The kubeconfig to merge into: --kubeconfig, else the first KUBECONFIG entry, else ~/.kube/config. */
export function kubeconfigTarget(explicit) {
  if (explicit) return explicit;
  const first = (process.env.KUBECONFIG ?? '').split(path.delimiter).find(Boolean);
  return first ?? path.join(process.env.HOME ?? '/root', '.kube', 'config');
}

/**
 * A kubeconfig for `contextName`: the backing simulated cluster's server and credentials when a
 * backing kubeconfig is given (so the "cluster" is a real API server), else an unreachable one.
 */
export function makeKubeconfig(contextName, backingFile) {
  let cluster = { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true };
  let user = { token: 'shim' };
  if (backingFile) {
    const backing = YAML.parse(fs.readFileSync(backingFile, 'utf8'));
    const ctx = backing.contexts.find((c) => c.name === backing['current-context']) ?? backing.contexts[0];
    cluster = backing.clusters.find((c) => c.name === ctx.context.cluster).cluster;
    user = backing.users.find((u) => u.name === ctx.context.user).user;
  }
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contextName,
    clusters: [{ name: contextName, cluster }],
    users: [{ name: contextName, user }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: contextName } }],
    preferences: {},
  };
}

/** Merges one context's entries into a kubeconfig file, like kind and k3d do. */
export function mergeKubeconfig(file, config, switchContext = true) {
  const existing = fs.existsSync(file) ? YAML.parse(fs.readFileSync(file, 'utf8')) ?? {} : {};
  const merged = { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [], preferences: {}, ...existing };
  for (const key of ['clusters', 'users', 'contexts']) {
    merged[key] = [...(merged[key] ?? []).filter((e) => !config[key].some((n) => n.name === e.name)), ...config[key]];
  }
  if (switchContext || !merged['current-context']) merged['current-context'] = config['current-context'];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, YAML.stringify(merged));
}

/** Removes a context (and its cluster and user) from a kubeconfig file. */
export function removeFromKubeconfig(file, contextName) {
  if (!fs.existsSync(file)) return;
  const config = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  for (const key of ['clusters', 'users', 'contexts']) config[key] = (config[key] ?? []).filter((e) => e.name !== contextName);
  if (config['current-context'] === contextName) config['current-context'] = '';
  fs.writeFileSync(file, YAML.stringify(config));
}

/** Registers simulated nodes in the backing API server (kwok marks them Ready). */
export function createBackingNodes(backingFile, nodes) {
  const kubectl = process.env.SLIPWAY_SHIM_KUBECTL;
  if (!backingFile || !kubectl) return;
  const items = nodes.map((n) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...n.labels },
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: n.taints ? { taints: n.taints } : {},
    status: {
      allocatable: { cpu: '8', memory: '32Gi', pods: '110', ...(n.gpus ? { 'nvidia.com/gpu': String(n.gpus) } : {}) },
      capacity: { cpu: '8', memory: '32Gi', pods: '110', ...(n.gpus ? { 'nvidia.com/gpu': String(n.gpus) } : {}) },
    },
  }));
  execFileSync(kubectl, ['--kubeconfig', backingFile, 'apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
    stdio: ['pipe', 'ignore', 'inherit'],
  });
}

/** Synchronous writes, so stdout and stderr reach a shared pipe in the order they were written. */
export function out(text) {
  fs.writeSync(1, text);
}

export function fail(message, code = 1) {
  fs.writeSync(2, message.endsWith('\n') ? message : message + '\n');
  process.exit(code);
}
