import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from './metrics';
import { registerProcessMetrics } from './process-metrics';

const WINDOW_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

describe('process metrics: event-loop delay, GC pauses, memory', () => {
  let stop = () => undefined as void;
  afterEach(() => stop());

  it('a window in which the loop was blocked for 250 ms reports it; the next quiet window does not', async () => {
    const m = new Metrics();
    stop = registerProcessMetrics(m, { windowMs: WINDOW_MS }).stop;
    await sleep(WINDOW_MS + 50); // one quiet window
    const quiet = m.render();
    expect(gauge(quiet, 'tz_event_loop_delay_max_seconds')).toBeLessThan(0.1);
    const t0 = Date.now();
    while (Date.now() - t0 < 250); // a stall: 250 ms of synchronous work
    await sleep(WINDOW_MS + 50);
    const stalled = m.render();
    expect(gauge(stalled, 'tz_event_loop_delay_max_seconds')).toBeGreaterThanOrEqual(0.2);
    await sleep(2 * WINDOW_MS + 50);
    expect(gauge(m.render(), 'tz_event_loop_delay_max_seconds')).toBeLessThan(0.1);
  });

  it('counts GC pauses by kind and reports memory', async () => {
    const m = new Metrics();
    stop = registerProcessMetrics(m, { windowMs: WINDOW_MS }).stop;
    // Enough short-lived garbage for several young-generation collections (held briefly, so the
    // compiler cannot elide the allocations).
    const held: { i: number }[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      held.push({ i });
      if (held.length > 1000) held.length = 0;
    }
    await sleep(50); // GC entries are delivered asynchronously
    const text = m.render();
    expect(Number(/^tz_gc_pause_seconds_total\{kind="minor"\} (\S+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(gauge(text, 'tz_process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(gauge(text, 'tz_process_heap_used_bytes')).toBeGreaterThan(1024 * 1024);
  });
});
