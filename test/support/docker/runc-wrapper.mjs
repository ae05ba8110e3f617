#!/usr/bin/env node
// Test infrastructure for this VM only — never used by Slipway itself.
//
// This VM's capability bounding set lacks CAP_SYS_RESOURCE, and Docker 20.10 asks for every
// capability for a privileged container, so runc fails with "unable to apply caps: operation not
// permitted". dockerd runs this wrapper as its default runtime: it deletes CAP_SYS_RESOURCE from
// the OCI spec runc is about to use — the bundle's config.json for create/run, the --process file
// for exec — and then execs the real runc with the arguments unchanged.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const DROPPED = 'CAP_SYS_RESOURCE';
const REAL_RUNC = process.env.SLIPWAY_REAL_RUNC || '/usr/sbin/runc';
const args = process.argv.slice(2);

/** The value of `NAME VALUE` or `NAME=VALUE` for any of `names` (runc accepts both), or undefined. */
function flag(...names) {
  for (let i = 0; i < args.length; i++) {
    for (const name of names) {
      if (args[i] === name) return args[i + 1];
      if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
    }
  }
  return undefined;
}

function dropCapability(file, pick) {
  let spec;
  try {
    spec = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return; // not ours to fix: runc reports the real problem
  }
  const caps = pick(spec)?.capabilities;
  if (!caps) return;
  let changed = false;
  for (const set of ['bounding', 'effective', 'inheritable', 'permitted', 'ambient']) {
    if (Array.isArray(caps[set]) && caps[set].includes(DROPPED)) {
      caps[set] = caps[set].filter((c) => c !== DROPPED);
      changed = true;
    }
  }
  if (changed) writeFileSync(file, JSON.stringify(spec));
}

const command = args.find((a) => ['create', 'run', 'exec'].includes(a));
if (command === 'create' || command === 'run') {
  dropCapability(join(flag('--bundle', '-b') ?? '.', 'config.json'), (spec) => spec.process);
} else if (command === 'exec') {
  const processFile = flag('--process', '-p');
  if (processFile) dropCapability(processFile, (spec) => spec);
}

const result = spawnSync(REAL_RUNC, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
