// How k3d v5.8.3 talks, for the k3d shim: its logger, its cobra flag parsing and the node-filter
// and port checks it makes before it contacts Docker. Held against the real binary by
// test/integration/k3d-shim-fidelity.test.ts; the formats below were read off that binary's output.
import fs from 'node:fs';

// k3d forces colours (logrus ForceColors) whether or not the output is a terminal, and splits its
// log by level: INFO and DEBU to stdout, WARN and worse to stderr.
const COLOUR = { DEBU: 37, INFO: 36, WARN: 33, ERRO: 31, FATA: 31 };

/** One log line as k3d writes it: coloured level, seconds since start, message padded to 44. */
export function log(level, message, seconds = 0) {
  const line = `\x1b[${COLOUR[level]}m${level}\x1b[0m[${String(seconds).padStart(4, '0')}] ${message.padEnd(44)} \n`;
  fs.writeSync(level === 'INFO' || level === 'DEBU' ? 1 : 2, line);
}

export const info = (message, seconds) => log('INFO', message, seconds);
export const error = (message, seconds) => log('ERRO', message, seconds);
export function fatal(message, seconds) {
  log('FATA', message, seconds);
  process.exit(1);
}

const GLOBAL_FLAGS = [
  { name: 'timestamps', type: 'bool', help: 'Enable Log timestamps' },
  { name: 'trace', type: 'bool', help: 'Enable super verbose output (trace logging)' },
  { name: 'verbose', type: 'bool', help: 'Enable verbose output (debug logging)' },
];

/**
 * The commands Slipway runs, with their flags (name, shorthand, type), the usage line and how many
 * arguments they take. Flags Slipway never passes are left out: the shim rejects them as unknown.
 */
export const COMMANDS = {
  version: { use: 'version', flags: [{ name: 'output', short: 'o', type: 'string' }], args: [0, 0] },
  'cluster create': {
    use: 'create NAME',
    args: [0, 1],
    flags: [
      { name: 'agents', short: 'a', type: 'int' },
      { name: 'servers', short: 's', type: 'int' },
      { name: 'image', short: 'i', type: 'string' },
      { name: 'gpus', type: 'string' },
      { name: 'port', short: 'p', type: 'stringArray' },
      { name: 'k3s-node-label', type: 'stringArray' },
      { name: 'api-port', type: 'string' },
      { name: 'network', type: 'string' },
      { name: 'kubeconfig-update-default', type: 'bool', default: true },
      { name: 'kubeconfig-switch-context', type: 'bool', default: true },
      { name: 'wait', type: 'bool', default: true },
      { name: 'timeout', type: 'duration' },
      { name: 'no-lb', type: 'bool' },
      { name: 'no-rollback', type: 'bool' },
    ],
  },
  'cluster delete': { use: 'delete [NAME [NAME ...] | --all]', flags: [{ name: 'all', short: 'a', type: 'bool' }] },
  'cluster start': {
    use: 'start [NAME [NAME...] | --all]',
    flags: [{ name: 'all', short: 'a', type: 'bool' }, { name: 'wait', type: 'bool', default: true }, { name: 'timeout', type: 'duration' }],
  },
  'cluster stop': { use: 'stop [NAME [NAME...] | --all]', flags: [{ name: 'all', short: 'a', type: 'bool' }] },
  'cluster list': {
    use: 'list [NAME [NAME...]]',
    flags: [{ name: 'output', short: 'o', type: 'string' }, { name: 'no-headers', type: 'bool' }, { name: 'token', type: 'bool' }],
  },
  'kubeconfig get': {
    use: 'get [CLUSTER [CLUSTER [...]] | --all]',
    flags: [{ name: 'all', short: 'a', type: 'bool' }],
    check: (args, flags) => ((args.length < 1 && !flags.all) || (args.length > 0 && flags.all) ? 'Need to specify one or more cluster names *or* set `--all` flag' : undefined),
  },
  'kubeconfig merge': {
    use: 'merge [CLUSTER [CLUSTER [...]] | --all]',
    flags: [
      { name: 'output', short: 'o', type: 'string' },
      { name: 'kubeconfig-merge-default', short: 'd', type: 'bool' },
      { name: 'kubeconfig-switch-context', short: 's', type: 'bool', default: true },
      { name: 'update', short: 'u', type: 'bool', default: true },
      { name: 'all', short: 'a', type: 'bool' },
    ],
  },
  'image import': {
    use: 'import [IMAGE | ARCHIVE [IMAGE | ARCHIVE...]]',
    args: [1, Infinity],
    flags: [{ name: 'cluster', short: 'c', type: 'stringArray' }, { name: 'mode', short: 'm', type: 'string' }],
  },
};

/** Go's time.ParseDuration, for the forms a user would write (1h2m3.5s, 300s, -5s, 0). */
function parseDuration(text) {
  if (text === '0' || /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.test(text)) return text;
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return new Error(`time: missing unit in duration ${JSON.stringify(text)}`);
  return new Error(`time: invalid duration ${JSON.stringify(text)}`);
}

/** What pflag says about a value it cannot convert. */
function convert(spec, value) {
  if (spec.type === 'int') return /^[-+]?\d+$/.test(value) ? Number(value) : new Error(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  if (spec.type === 'bool') return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value) ? true : ['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value) ? false : new Error(`strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
  if (spec.type === 'duration') return parseDuration(value);
  return value;
}

/**
 * A cobra usage error as k3d prints it: the error, the command's usage, then logrus's uncoloured
 * fatal line (flag errors happen before k3d sets up its own logger).
 */
function usageError(command, message, { coloured = false } = {}) {
  const spec = COMMANDS[command];
  const flagLines = (flags) => flags.map((f) => `  ${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.type === 'bool' ? '' : ` ${f.type === 'stringArray' ? 'stringArray' : f.type}`}`);
  const usage = [`Error: ${message}`, 'Usage:', `  k3d ${command.split(' ').slice(0, -1).concat(spec.use).join(' ')} [flags]`, '', 'Flags:', ...flagLines([...spec.flags, { name: 'help', short: 'h', type: 'bool' }]), '', 'Global Flags:', ...flagLines(GLOBAL_FLAGS), ''];
  fs.writeSync(2, usage.join('\n') + '\n');
  if (coloured) fatal(message);
  const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  fs.writeSync(2, `time="${time}" level=fatal msg=${JSON.stringify(message)}\n`);
  process.exit(1);
}

/**
 * Parses argv like cobra/pflag: the command (two words, or `version`), its flags with their
 * defaults, and the remaining arguments. Unknown commands and flags, bad values and wrong
 * argument counts exit the way k3d does.
 */
export function parseCommand(argv) {
  const words = [];
  const rest = [];
  for (const a of argv) (a.startsWith('-') || words.length >= 2 || (words[0] === 'version' && words.length >= 1) ? rest : words).push(a);
  const command = words[0] === 'version' ? 'version' : words.join(' ');
  const spec = COMMANDS[command];
  if (!spec) {
    const message = `unknown command ${JSON.stringify(words.at(-1) ?? '')} for "k3d${words.length > 1 ? ` ${words[0]}` : ''}"`;
    fs.writeSync(2, `Error: ${message}\nRun 'k3d${words.length > 1 ? ` ${words[0]}` : ''} --help' for usage.\n`);
    fs.writeSync(2, `time="${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}" level=fatal msg=${JSON.stringify(message)}\n`);
    process.exit(1);
  }
  const all = [...spec.flags, ...GLOBAL_FLAGS];
  const flags = Object.fromEntries(all.map((f) => [f.name, f.type === 'stringArray' ? [] : f.default ?? (f.type === 'bool' ? false : undefined)]));
  const args = [];
  // Arguments after the command words, in their original order (flags may come anywhere).
  const after = argv.slice(argv.indexOf(words.at(-1)) + 1);
  for (let i = 0; i < after.length; i++) {
    const a = after[i];
    if (!a.startsWith('-') || a === '-') {
      args.push(a);
      continue;
    }
    const long = a.startsWith('--');
    const [key, inline] = long ? [a.slice(2).split('=')[0], a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined] : [a[1], a.length > 2 ? a.slice(a[2] === '=' ? 3 : 2) : undefined];
    const f = all.find((s) => (long ? s.name === key : s.short === key));
    if (!f) usageError(command, long ? `unknown flag: --${key}` : `unknown shorthand flag: '${key}' in ${a}`);
    let value = inline;
    if (value === undefined && f.type !== 'bool') {
      if (i + 1 >= after.length) usageError(command, `flag needs an argument: ${long ? `--${key}` : `'${key}' in -${key}`}`);
      value = after[++i];
    }
    const converted = f.type === 'bool' && value === undefined ? true : convert(f, value);
    if (converted instanceof Error) usageError(command, `invalid argument ${JSON.stringify(value)} for "${f.short ? `-${f.short}, ` : ''}--${f.name}" flag: ${converted.message}`);
    if (f.type === 'stringArray') flags[f.name].push(converted);
    else flags[f.name] = converted;
  }
  const [min, max] = spec.args ?? [0, Infinity];
  if (args.length < min || args.length > max) {
    const message =
      max === 0 ? `unknown command ${JSON.stringify(args[0])} for "k3d ${command}"` : max === Infinity ? `requires at least ${min} arg(s), only received ${args.length}` : `accepts between ${min} and ${max} arg(s), received ${args.length}`;
    usageError(command, message, { coloured: true });
  }
  const problem = spec.check?.(args, flags);
  if (problem) usageError(command, problem, { coloured: true });
  return { command, args, flags };
}

const NODE_FILTER = /^(server|servers|agent|agents|loadbalancer|all)(:((\d+,?)+|\d*-\d*|\*))?(:([A-Za-z]+))?$/;

/**
 * The nodes a filter like `server:0`, `agent:*` or `loadbalancer` names, checked the way k3d
 * checks them; returns an error message or undefined. `withSuffix` is the port form
 * (`server:0:proxy`), where a suffix is allowed.
 */
export function nodeFilterProblem(filter, counts, withSuffix) {
  const match = NODE_FILTER.exec(filter);
  if (!match) return withSuffix ? `Failed to parse node filters (with suffix): invalid format or empty subset in '${filter}'` : `Failed to parse node filters: invalid format or empty subset in '${filter}'`;
  const [, group, , subset, , , suffix] = match;
  if (suffix && !withSuffix) return `error filtering with '${filter}': no suffix allowed in simple filter`;
  if (suffix && !['proxy', 'direct'].includes(suffix)) return `error filtering nodes: unallowed suffix '${suffix}' in nodefilter '${filter}'`;
  const wrap = (message) => (withSuffix ? `failed to filter nodes by filter '${filter}': ${message}` : message);
  const count = group.startsWith('server') ? counts.servers : group.startsWith('agent') ? counts.agents : group === 'loadbalancer' ? counts.loadbalancer : counts.servers + counts.agents + counts.loadbalancer;
  if (group === 'loadbalancer') return count ? undefined : wrap(`Node filter '${filter}' targets a node that does not exist (disabled?)`);
  if (subset && /^[\d,]+$/.test(subset)) {
    for (const n of subset.split(',').filter(Boolean).map(Number)) {
      if (n >= count) return wrap(`Index out of range: index '${n}' < 0 or > number of available nodes in filter '${filter}'`);
    }
  }
  return undefined;
}

/** Docker's port spec `[IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]`; an error message or undefined. */
export function portSpecProblem(spec) {
  const [ports] = spec.split('/');
  const parts = ports.split(':');
  const containerPort = parts.at(-1);
  const hostPort = parts.length > 1 ? parts.at(-2) : '';
  const validPort = (p) => /^\d+(-\d+)?$/.test(p) && p.split('-').every((n) => Number(n) <= 65535);
  if (!validPort(containerPort)) return `error parsing port spec '${spec}': invalid containerPort: ${containerPort}`;
  if (hostPort && !validPort(hostPort)) return `error parsing port spec '${spec}': invalid hostPort: ${hostPort}`;
  return undefined;
}

/** k3d's cluster-name rule: an RFC 1123 host name of at most 32 characters. */
export function clusterNameProblem(name) {
  const label = '([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])';
  if (!name) return 'Invalid cluster name. No name provided';
  if (!new RegExp(`^(${label}\\.)*${label}$`).test(name)) return `Invalid cluster name. name ${name} is not a valid hostname as per RFC 1123`;
  if (name.length > 32) return `Cluster name must be <= 32 characters, but has ${name.length}`;
  return undefined;
}
