import { formatLocal, isTimeZone, parseDateText, toInstant, toLocal, type DstMode } from './local-time';
import { parseScheduleFilter, passes, type ScheduleFilter } from './schema-filter';

/**
 * When a schema event (Qlik's time trigger) fires. Occurrences are start + k × increment:
 * increments of whole days or weeks step the wall clock (a daily 06:00 stays 06:00 across daylight
 * saving changes when they are observed), increments with minutes or hours step real time; each
 * occurrence must pass the filters and come before the expiration. Pure.
 */
export interface Schedule {
  timeZone: string;
  dst: DstMode;
  startLocal: number;
  expirationLocal: number;
  /** 0 once, 1 hourly, 2 daily, 3 weekly, 4 monthly, 5 custom (Qlik's incrementOption). */
  option: number;
  stepDays: number;
  stepMs: number;
  filters: ScheduleFilter[];
}

export interface ScheduleInput {
  timeZone: string;
  daylightSavingTime: number;
  startDate: string;
  expirationDate: string;
  schemaFilterDescription: readonly string[];
  incrementDescription: string;
  incrementOption: number;
}

export type ScheduleParse = { ok: true; schedule: Schedule; startDate: string; expirationDate: string } | { ok: false; field: string; message: string };

const DAY = 86_400_000;
/** Enough for an every-N-weeks filter on a daily step across years of missed runs. */
const MAX_STEPS = 20_000;

export function parseSchedule(e: ScheduleInput): ScheduleParse {
  const bad = (field: string, message: string): ScheduleParse => ({ ok: false, field, message });
  if (!isTimeZone(e.timeZone)) return bad('timeZone', `is not a known IANA time zone ('${String(e.timeZone).slice(0, 64)}')`);
  if (![0, 1, 2].includes(e.daylightSavingTime)) return bad('daylightSavingTime', 'must be 0 (observe), 1 (permanent standard time) or 2 (permanent daylight saving time)');
  const dst = e.daylightSavingTime as DstMode;
  const wall = (field: 'startDate' | 'expirationDate') => {
    const p = parseDateText(e[field]);
    if (!p) return null;
    return p.local ?? toLocal(p.instant as number, e.timeZone, dst);
  };
  const startLocal = wall('startDate');
  if (startLocal === null) return bad('startDate', 'must be a date-time such as 2026-01-31T06:00:00.000 (wall clock in timeZone)');
  const expirationLocal = wall('expirationDate');
  if (expirationLocal === null) return bad('expirationDate', 'must be a date-time such as 9999-01-01T00:00:00.000');
  if (expirationLocal <= startLocal) return bad('expirationDate', 'must be after startDate');
  if (!Number.isInteger(e.incrementOption) || e.incrementOption < 0 || e.incrementOption > 5) return bad('incrementOption', 'must be 0 once, 1 hourly, 2 daily, 3 weekly, 4 monthly or 5 custom');
  const inc = /^\s*(\d{1,6})\s+(\d{1,6})\s+(\d{1,6})\s+(\d{1,6})\s*$/.exec(e.incrementDescription ?? '');
  if (!inc) return bad('incrementDescription', 'must be four whole numbers: "minutes hours days weeks"');
  const [minutes, hours, days, weeks] = [1, 2, 3, 4].map((i) => Number(inc[i])) as [number, number, number, number];
  const once = e.incrementOption === 0;
  if (!once && minutes + hours + days + weeks === 0) return bad('incrementDescription', 'a repeating trigger needs a non-zero increment (use incrementOption 0 for a single run)');
  if (!once && minutes + hours > 0 && minutes + hours * 60 + (days + weeks * 7) * 1440 < 1) return bad('incrementDescription', 'must be at least one minute');
  const filters: ScheduleFilter[] = [];
  const descriptions = e.schemaFilterDescription.length === 0 ? ['* * - * * * * *'] : e.schemaFilterDescription;
  for (const [i, text] of descriptions.entries()) {
    const f = parseScheduleFilter(text);
    if (!f.ok) return bad(`schemaFilterDescription.${i}`, f.message);
    filters.push(f.filter);
  }
  const calendar = minutes + hours === 0;
  const schedule: Schedule = {
    timeZone: e.timeZone, dst, startLocal, expirationLocal, option: e.incrementOption, filters,
    stepDays: once || !calendar ? 0 : days + 7 * weeks,
    stepMs: once || calendar ? 0 : (minutes + 60 * hours + 1440 * (days + 7 * weeks)) * 60_000,
  };
  return { ok: true, schedule, startDate: formatLocal(startLocal), expirationDate: formatLocal(expirationLocal) };
}

/** The first occurrence strictly after `after` (an instant), or null when there is none. */
export function nextOccurrence(s: Schedule, after: number): number | null {
  const expires = toInstant(s.expirationLocal, s.timeZone, s.dst);
  const accept = (instant: number, local: number) => instant > after && passes(s.filters, local, s.startLocal);
  const start = toInstant(s.startLocal, s.timeZone, s.dst);
  if (s.stepDays === 0 && s.stepMs === 0) return accept(start, s.startLocal) && start <= expires ? start : null;
  if (s.stepMs > 0) {
    let k = Math.max(0, Math.floor((after - start) / s.stepMs));
    for (let i = 0; i < MAX_STEPS; i++, k++) {
      const instant = start + k * s.stepMs;
      if (instant > expires) return null;
      if (accept(instant, toLocal(instant, s.timeZone, s.dst))) return instant;
    }
    return null;
  }
  const afterLocal = toLocal(after, s.timeZone, s.dst);
  let k = Math.max(0, Math.floor((afterLocal - s.startLocal) / (s.stepDays * DAY)) - 1);
  for (let i = 0; i < MAX_STEPS; i++, k++) {
    const local = s.startLocal + k * s.stepDays * DAY;
    if (local > s.expirationLocal) return null;
    const instant = toInstant(local, s.timeZone, s.dst);
    if (accept(instant, local)) return instant;
  }
  return null;
}
