/**
 * Wall-clock times in a time zone, without a time-zone library: Intl gives the offset of a zone at
 * an instant, everything else is arithmetic on "naive" times (a wall-clock time written as if it
 * were UTC, in milliseconds). Pure: no clock, no I/O.
 */

/** Qlik's daylightSavingTime: 0 observe, 1 permanent standard time, 2 permanent daylight saving time. */
export type DstMode = 0 | 1 | 2;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** Offset of the zone from UTC at `instant`, in minutes (Europe/Paris in summer: 120). */
export function zoneOffsetMinutes(timeZone: string, instant: number): number {
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const whole = instant - (instant % 1000 + 1000) % 1000;
  return Math.round((asUtc - whole) / 60_000);
}

/** The zone's standard and daylight offsets in the year of `instant` (equal where there is no DST). */
function yearOffsets(timeZone: string, instant: number): { standard: number; daylight: number } {
  const year = new Date(instant).getUTCFullYear();
  const jan = zoneOffsetMinutes(timeZone, Date.UTC(year, 0, 1));
  const jul = zoneOffsetMinutes(timeZone, Date.UTC(year, 6, 1));
  return { standard: Math.min(jan, jul), daylight: Math.max(jan, jul) };
}

function offsetAt(timeZone: string, instant: number, mode: DstMode): number {
  if (mode === 0) return zoneOffsetMinutes(timeZone, instant);
  const o = yearOffsets(timeZone, instant);
  return mode === 1 ? o.standard : o.daylight;
}

/** The naive wall-clock time of an instant in the zone. */
export function toLocal(instant: number, timeZone: string, mode: DstMode): number {
  return instant + offsetAt(timeZone, instant, mode) * 60_000;
}

/**
 * The instant a naive wall-clock time stands for. A time skipped by a spring-forward change is
 * moved forward by the gap (02:30 → 03:30); a time that occurs twice in autumn is the first one.
 */
export function toInstant(local: number, timeZone: string, mode: DstMode): number {
  const before = offsetAt(timeZone, local - 86_400_000, mode);
  const after = offsetAt(timeZone, local + 86_400_000, mode);
  const candidates = [local - before * 60_000, local - after * 60_000].sort((a, b) => a - b);
  for (const c of candidates) if (toLocal(c, timeZone, mode) === local) return c;
  // In a gap: neither offset maps back; the earlier offset puts it just after the change.
  return local - Math.min(before, after) * 60_000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;

export interface ParsedDate {
  /** Naive wall-clock milliseconds, or undefined with `instant` set when the text carried a zone. */
  local?: number;
  instant?: number;
}

/** "2026-01-31T06:00:00.000" (wall clock) or the same with Z / ±hh:mm (an instant); null when malformed. */
export function parseDateText(text: string): ParsedDate | null {
  const m = LOCAL.exec(typeof text === 'string' ? text.trim() : '');
  if (!m) return null;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [number, number, number, number, number];
  const s = Number(m[6] ?? 0);
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const naive = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (new Date(naive).getUTCDate() !== d) return null;
  const zone = m[8];
  if (zone === undefined) return { local: naive };
  if (zone === 'Z') return { instant: naive };
  const sign = zone.startsWith('-') ? -1 : 1;
  return { instant: naive - sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000 };
}

/** A naive wall-clock time as Qlik writes schema dates: "2026-01-31T06:00:00.000". */
export function formatLocal(local: number): string {
  return new Date(local).toISOString().slice(0, 23);
}
