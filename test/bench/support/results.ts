import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../results');

/**
 * Writes a benchmark's figures to test/bench/results/<name>.json (with the machine they were
 * measured on) and prints them, so `npm run bench` leaves a record to compare.
 */
export function recordFigures(name: string, figures: Record<string, number | string | boolean>, targets: Record<string, string> = {}): void {
  fs.mkdirSync(resultsDir, { recursive: true });
  const record = {
    name,
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    figures,
    targets,
  };
  fs.writeFileSync(path.join(resultsDir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(`\n[bench] ${name}\n${Object.entries(figures).map(([k, v]) => `  ${k}: ${v}${targets[k] ? `   (target ${targets[k]})` : ''}`).join('\n')}\n`);
}
