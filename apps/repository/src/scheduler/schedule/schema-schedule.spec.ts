import { describe, expect, it } from 'vitest';
import { parseSchedule, nextOccurrence, type Schedule, type ScheduleInput } from './schema-schedule';
import { toInstant, toLocal, zoneOffsetMinutes } from './local-time';

const base: ScheduleInput = { timeZone: 'UTC', daylightSavingTime: 0, startDate: '2026-01-05T06:00:00.000', expirationDate: '9999-01-01T00:00:00.000', schemaFilterDescription: ['* * - * * * * *'], incrementDescription: '0 0 1 0', incrementOption: 2 };

function schedule(over: Partial<ScheduleInput>): Schedule {
  const p = parseSchedule({ ...base, ...over });
  if (!p.ok) throw new Error(`${p.field}: ${p.message}`);
  return p.schedule;
}

/** Occurrences from `from` on, by repeatedly asking for the next one. */
function occurrences(s: Schedule, from: number, n: number): number[] {
  const out: number[] = [];
  let t = from;
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(s, t);
    if (next === null) break;
    out.push(next);
    t = next;
  }
  return out;
}

/** The wall clock an independent formatter shows for an instant in a zone: "YYYY-MM-DD HH:mm", weekday. */
function wall(instant: number, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { date: `${p['year']}-${p['month']}-${p['day']}`, time: `${p['hour']}:${p['minute']}`, weekday: p['weekday'] };
}

describe('schema event schedules', () => {
  it('a daily trigger observing daylight saving keeps its wall-clock time across the change', () => {
    const tz = 'Europe/Paris';
    const s = schedule({ timeZone: tz, startDate: '2026-03-26T06:00:00.000' });
    const got = occurrences(s, Date.UTC(2026, 2, 26), 6);
    expect(got.map((t) => wall(t, tz).time)).toEqual(Array(6).fill('06:00'));
    expect(got.map((t) => wall(t, tz).date)).toEqual(['2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
    // The UTC instants shift by the change of offset (one hour earlier after the switch).
    const gaps = got.slice(1).map((t, i) => t - (got[i] as number));
    expect(gaps).toContain(23 * 3600_000);
  });

  it('permanent standard time ignores the change: the same UTC time every day', () => {
    const s = schedule({ timeZone: 'Europe/Paris', daylightSavingTime: 1, startDate: '2026-03-26T06:00:00.000' });
    const got = occurrences(s, Date.UTC(2026, 2, 26), 6);
    const standard = Math.min(zoneOffsetMinutes('Europe/Paris', Date.UTC(2026, 0, 1)), zoneOffsetMinutes('Europe/Paris', Date.UTC(2026, 6, 1)));
    expect(new Set(got.map((t) => new Date(t).getUTCHours() * 60 + new Date(t).getUTCMinutes()))).toEqual(new Set([6 * 60 - standard]));
  });

  it('hourly and custom minute increments step real time from the start', () => {
    const start = Date.UTC(2026, 0, 5, 6, 0);
    const hourly = schedule({ incrementOption: 1, incrementDescription: '0 1 0 0' });
    expect(occurrences(hourly, start - 1, 3)).toEqual([start, start + 3600_000, start + 7200_000]);
    const every7 = schedule({ incrementOption: 5, incrementDescription: '7 0 0 0' });
    const from = start + 1000 * 60 * 60 * 24 * 3 + 5;
    const next = nextOccurrence(every7, from) as number;
    expect(next).toBeGreaterThan(from);
    expect((next - start) % (7 * 60_000)).toBe(0);
    expect(next - from).toBeLessThanOrEqual(7 * 60_000);
  });

  it('weekly: only the listed weekdays, every N weeks counted from the start week', () => {
    const s = schedule({ incrementOption: 3, schemaFilterDescription: ['* * - 1,3 2 * * *'], startDate: '2026-01-05T06:00:00.000' });
    const got = occurrences(s, Date.UTC(2026, 0, 1), 6).map((t) => wall(t, 'UTC'));
    expect(got.every((w) => w.weekday === 'Mon' || w.weekday === 'Wed')).toBe(true);
    expect(got.map((w) => w.date)).toEqual(['2026-01-05', '2026-01-07', '2026-01-19', '2026-01-21', '2026-02-02', '2026-02-04']);
  });

  it('monthly: only the listed days of the month', () => {
    const s = schedule({ incrementOption: 4, schemaFilterDescription: ['* * - * * 1,15 * *'] });
    expect(occurrences(s, Date.UTC(2026, 0, 5), 4).map((t) => wall(t, 'UTC').date)).toEqual(['2026-01-15', '2026-02-01', '2026-02-15', '2026-03-01']);
  });

  it('once: the start only, and never after it has passed', () => {
    const s = schedule({ incrementOption: 0, incrementDescription: '0 0 0 0' });
    const start = Date.UTC(2026, 0, 5, 6);
    expect(nextOccurrence(s, start - 1)).toBe(start);
    expect(nextOccurrence(s, start)).toBeNull();
  });

  it('no occurrence after the expiration; a start with a zone is converted to the wall clock of timeZone', () => {
    const s = schedule({ expirationDate: '2026-01-07T00:00:00.000' });
    expect(occurrences(s, 0, 10)).toHaveLength(2);
    const p = parseSchedule({ ...base, timeZone: 'America/New_York', startDate: '2026-07-01T12:00:00.000Z' });
    expect(p.ok && p.startDate).toBe('2026-07-01T08:00:00.000');
  });

  it('a wall-clock time inside a spring-forward gap runs just after the change; local ↔ instant round-trips elsewhere', () => {
    const gap = Date.UTC(2026, 2, 29, 2, 30); // 02:30 does not exist in Paris that night
    const t = toInstant(gap, 'Europe/Paris', 0);
    expect(wall(t, 'Europe/Paris').time).toBe('03:30');
    for (const instant of [Date.UTC(2026, 0, 1, 12), Date.UTC(2026, 6, 1, 12), Date.UTC(2026, 9, 25, 0, 30)]) {
      expect(toInstant(toLocal(instant, 'Europe/Paris', 0), 'Europe/Paris', 0)).toBe(instant);
    }
  });

  it('refuses what it cannot schedule, naming the field', () => {
    const fail = (over: Partial<ScheduleInput>) => {
      const p = parseSchedule({ ...base, ...over });
      return p.ok ? null : p.field;
    };
    expect(fail({ timeZone: 'Mars/Olympus' })).toBe('timeZone');
    expect(fail({ startDate: 'tomorrow' })).toBe('startDate');
    expect(fail({ incrementDescription: '0 0 1' })).toBe('incrementDescription');
    expect(fail({ incrementDescription: '0 0 0 0' })).toBe('incrementDescription');
    expect(fail({ schemaFilterDescription: ['0 6 - * * * * *'] })).toBe('schemaFilterDescription.0');
    expect(fail({ schemaFilterDescription: ['* * - 9 * * * *'] })).toBe('schemaFilterDescription.0');
    expect(fail({ expirationDate: '2020-01-01T00:00:00.000' })).toBe('expirationDate');
    expect(fail({ daylightSavingTime: 3 })).toBe('daylightSavingTime');
  });
});
