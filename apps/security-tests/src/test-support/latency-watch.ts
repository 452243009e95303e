/**
 * "The service keeps answering another user within normal latency while the attack runs": a probe
 * (another user's ordinary request) is timed before the attack to get a baseline, then repeatedly
 * while the attack runs. The bound is generous on purpose (CI machines are noisy): an unbounded
 * attack makes the probe time out or take many seconds, which this still catches.
 */
export interface LatencyReport {
  baselineMs: number;
  samples: number[];
  failures: string[];
  maxMs: number;
  boundMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function timed(probe: () => Promise<boolean>): Promise<{ ms: number; ok: boolean; error?: string }> {
  const t0 = performance.now();
  try {
    const ok = await probe();
    return { ms: performance.now() - t0, ok };
  } catch (e) {
    return { ms: performance.now() - t0, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Runs `attack` while probing every `everyMs`; resolves with the attack's result and the latency report. */
export async function whileProbing<T>(probe: () => Promise<boolean>, attack: () => Promise<T>, everyMs = 150): Promise<{ result: T; latency: LatencyReport }> {
  const base: number[] = [];
  for (let i = 0; i < 5; i++) base.push((await timed(probe)).ms);
  const baselineMs = median(base);
  const samples: number[] = [];
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    // At least a few samples even when the attack is quick, so "during" is never vacuous.
    for (let n = 0; running || n < 3; n++) {
      const r = await timed(probe);
      samples.push(r.ms);
      if (!r.ok) failures.push(r.error ?? `probe failed after ${Math.round(r.ms)} ms`);
      await new Promise((res) => setTimeout(res, everyMs));
    }
  })();
  try {
    const result = await attack();
    return { result, latency: await finish() };
  } catch (e) {
    await finish();
    throw e;
  }
  async function finish(): Promise<LatencyReport> {
    running = false;
    await loop;
    const after = await timed(probe);
    samples.push(after.ms);
    if (!after.ok) failures.push(after.error ?? 'probe failed after the attack');
    const maxMs = Math.max(...samples);
    return { baselineMs, samples, failures, maxMs, boundMs: Math.max(2_000, 20 * baselineMs) };
  }
}
