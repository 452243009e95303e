import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export const RESULTS_DIR = join(__dirname, 'results');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** Writes bench/results/<name>.json with the machine, the details and the summary the issue names. */
export function writeResult(name: string, summary: Record<string, number>, details: Record<string, unknown>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = { benchmark: name, date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, summary, details };
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify(out, null, 2) + '\n');
  console.log(`\nsummary ${JSON.stringify(summary)}\n→ bench/results/${name}.json`);
}

/** Deterministic PRNG (mulberry32) so every run measures the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
