import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { Metrics } from './metrics';

/** The window the event-loop and GC gauges describe: long enough to hold a stall, short enough to alert on. */
export const PROCESS_WINDOW_MS = 10_000;
/** The delay timer's resolution (ms): it is subtracted, so an idle loop reads ~0. */
const RESOLUTION_MS = 10;

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

interface Window {
  p50: number;
  p99: number;
  max: number;
  gcMax: number;
}

/**
 * Event-loop delay, GC pauses and memory of this process, for /metrics. A service whose loop is
 * stalled answers everything late, and none of its per-call histograms says why: these gauges do
 * (issue 21: "say what limits it"). Quantiles are over the last complete window, not since start,
 * so a scrape shows the present and two scrapers do not reset each other's view.
 */
export function registerProcessMetrics(metrics: Metrics, o: { windowMs?: number } = {}): { stop(): void } {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const gcSeconds = metrics.counter('tz_gc_pause_seconds_total', 'time the process was paused by garbage collection, by kind');
  let gcMax = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = GC_KINDS[(e as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
      gcSeconds.inc({ kind }, e.duration / 1000);
      gcMax = Math.max(gcMax, e.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  let last: Window = { p50: 0, p99: 0, max: 0, gcMax: 0 };
  const timer = setInterval(() => {
    last = delay.count === 0 ? { p50: 0, p99: 0, max: 0, gcMax } : { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), gcMax };
    delay.reset();
    gcMax = 0;
  }, o.windowMs ?? PROCESS_WINDOW_MS);
  timer.unref();
  const window = `over the last ${Math.round((o.windowMs ?? PROCESS_WINDOW_MS) / 1000)} s`;
  metrics.gauge('tz_event_loop_delay_p50_seconds', `event-loop delay, median ${window}`, () => last.p50 / 1000);
  metrics.gauge('tz_event_loop_delay_p99_seconds', `event-loop delay, 99th percentile ${window}`, () => last.p99 / 1000);
  metrics.gauge('tz_event_loop_delay_max_seconds', `longest event-loop delay ${window}`, () => last.max / 1000);
  metrics.gauge('tz_gc_pause_max_seconds', `longest garbage-collection pause ${window}`, () => last.gcMax / 1000);
  metrics.gauge('tz_process_resident_memory_bytes', 'resident set size', () => process.memoryUsage.rss());
  metrics.gauge('tz_process_heap_used_bytes', 'V8 heap in use', () => process.memoryUsage().heapUsed);
  return {
    stop() {
      clearInterval(timer);
      observer.disconnect();
      delay.disable();
    },
  };
}
