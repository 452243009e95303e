import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppAuthKey, createAppStore } from '@trustzone/app-store';
import { buildDataModel, tableData, type View } from '@trustzone/data-model';
import { runScript } from '@trustzone/load-script';
import { afterEach, describe, expect, it } from 'vitest';
import { QixErrorCode } from '../qix';
import { AppLibrary } from './app-library';
import { type AppSource, openAppFor } from './app-opener';
import { ReductionCache } from './reduction-cache';
import { sectionAccessView } from './section-access-gate';

// The raw rows; every expected figure below is computed from these arrays, not from the engine.
const SALES: [string, number][] = [['EAST', 10], ['EAST', 4], ['WEST', 20], ['WEST', 5], ['NORTH', 3], ['SOUTH', 8]];
type Row = [access: string, userId: string, group: string, region: string];
const V1: Row[] = [['USER', 'CORP\\ALICE', '*', 'EAST'], ['USER', 'CORP\\BOB', '*', 'WEST'], ['USER', '*', 'NORTHERNERS', 'NORTH'], ['ADMIN', 'CORP\\ADMIN', '*', '']];
// The reload's security table: Alice moves to SOUTH, Bob loses his row.
const V2: Row[] = [['USER', 'CORP\\ALICE', '*', 'SOUTH'], ['USER', '*', 'NORTHERNERS', 'NORTH'], ['ADMIN', 'CORP\\ADMIN', '*', '']];

const script = (access: Row[]) => `Section Access;\nLOAD * INLINE [\nACCESS, USERID, GROUP, REGION\n${access.map((r) => r.join(', ')).join('\n')}\n];\nSection Application;\nSales:\nLOAD * INLINE [\nREGION, AMOUNT\n${SALES.map((r) => r.join(', ')).join('\n')}\n];\n`;
const modelOf = async (access: Row[]) => buildDataModel(await runScript(script(access)));

/** Independently: the regions a user sees under `access` (null: denied), as sorted "REGION:AMOUNT" rows. */
function expectedRows(access: Row[], userId: string, groups: string[]): string[] | null {
  const rows = access.filter((r) => (r[1] === '*' || r[1] === userId) && (r[2] === '*' || groups.includes(r[2])));
  if (rows.length === 0) return null;
  const all = rows.some((r) => r[0] === 'ADMIN' || r[3] === '');
  const regions = new Set(rows.map((r) => r[3]));
  return SALES.filter((s) => all || regions.has(s[0])).map((s) => `${s[0]}:${s[1]}`).sort();
}

function visibleRows(view: View): string[] {
  const data = tableData(view.model, view, 'Sales', 0, 1000);
  const r = data.fields.indexOf('REGION');
  const a = data.fields.indexOf('AMOUNT');
  return data.rows.map((row) => `${row[r]!.qText}:${row[a]!.qText}`).sort();
}

const who = (id: string, groups: string[] = []) => ({ userDirectory: id.split('\\')[0]!, userId: id.split('\\')[1]!, groups });

describe('ReductionCache: one reduction per app version and exact section-access identity', () => {
  it('never serves one identity the reduction of another (users, groups), and a hit is the same view', async () => {
    const model = await modelOf(V1);
    const cache = new ReductionCache();
    const users: [string, string[]][] = [['CORP\\ALICE', []], ['CORP\\BOB', []], ['CORP\\CAROL', ['NORTHERNERS']], ['CORP\\ALICE', ['NORTHERNERS']], ['CORP\\ADMIN', []]];
    // Twice round, interleaved: the second round is answered from the cache and must still be each user's own.
    const first = new Map<string, View>();
    for (const round of [1, 2]) {
      for (const [id, groups] of users) {
        const view = sectionAccessView(model, who(id, groups), cache);
        expect(visibleRows(view), `${id} ${groups.join()} round ${round}`).toEqual(expectedRows(V1, id, groups));
        const key = `${id}|${groups.join()}`;
        if (round === 1) first.set(key, view);
        else expect(view, key).toBe(first.get(key));
      }
    }
    expect(cache.computed).toBe(users.length);
    // Alice with and without the group are two identities with two different reductions.
    expect(visibleRows(first.get('CORP\\ALICE|')!)).not.toEqual(visibleRows(first.get('CORP\\ALICE|NORTHERNERS')!));
  });

  it('keeps a denial per identity too: the denied user stays denied, the next user is not', async () => {
    const model = await modelOf(V1);
    const cache = new ReductionCache();
    for (let i = 0; i < 2; i++) {
      expect(() => sectionAccessView(model, who('CORP\\EVE'), cache)).toThrow(expect.objectContaining({ code: QixErrorCode.ACCESS_DENIED, reason: expect.stringContaining('NO_MATCHING_ROW') }));
      expect(visibleRows(sectionAccessView(model, who('CORP\\BOB'), cache))).toEqual(expectedRows(V1, 'CORP\\BOB', []));
    }
    expect(cache.computed).toBe(2);
  });

  it('bounds the entries per app version and the bytes over all (least recently used dropped, computed again when asked)', async () => {
    const model = await modelOf(V1);
    const cache = new ReductionCache(2);
    // ALICE is used again before ADMIN arrives, so BOB (least recently used) is the one dropped.
    for (const id of ['CORP\\ALICE', 'CORP\\BOB', 'CORP\\ALICE', 'CORP\\ADMIN', 'CORP\\ALICE', 'CORP\\BOB']) sectionAccessView(model, who(id), cache);
    expect(cache.computed).toBe(4);
    // A byte budget that holds one reduced view: the second evicts the first.
    const one = sectionAccessView(model, who('CORP\\ALICE'), new ReductionCache()).byteLength() + 64;
    const small = new ReductionCache(100, one);
    for (const id of ['CORP\\ALICE', 'CORP\\ALICE', 'CORP\\BOB', 'CORP\\BOB', 'CORP\\ALICE']) {
      const view = sectionAccessView(model, who(id), small);
      expect(visibleRows(view), id).toEqual(expectedRows(V1, id, []));
    }
    expect(small.computed).toBe(3);
  });
});

describe('ReductionCache through the app library: a reload that changes section access drops the old reductions', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const AUTH = AppAuthKey.fromBytes(randomBytes(32));
  const library = async (dir: string) => new AppLibrary(await createAppStore({ appsDir: dir, authKey: AUTH }), 4);
  const sourceOf = (lib: AppLibrary, groups: string[] = []): AppSource => ({
    authorize: async () => ({ allowed: true, title: 'Sales', groups }),
    load: (appId) => lib.open(appId),
  });

  it('a reload here or by another engine on the same files gives the new reduction; a script write keeps the cached one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-red-'));
    dirs.push(dir);
    const lib = await library(dir);
    const app = randomUUID();
    await lib.save(app, await modelOf(V1));
    const open = async (l: AppLibrary, id: string) => (await openAppFor(sourceOf(l), app, who(id))).view;

    const alice1 = await open(lib, 'CORP\\ALICE');
    expect(visibleRows(alice1)).toEqual(expectedRows(V1, 'CORP\\ALICE', []));
    expect(visibleRows(await open(lib, 'CORP\\BOB'))).toEqual(expectedRows(V1, 'CORP\\BOB', []));
    // A write that leaves the data alone keeps the model, so the reduction is the one already made.
    await lib.setScript(app, 'LOAD 1 AS X AUTOGENERATE 1;');
    expect(await open(lib, 'CORP\\ALICE')).toBe(alice1);

    // Another engine reloads the app with a new security table (same app volume).
    const other = await library(dir);
    await other.save(app, await modelOf(V2));
    const alice2 = await open(lib, 'CORP\\ALICE');
    expect(alice2).not.toBe(alice1);
    expect(visibleRows(alice2)).toEqual(expectedRows(V2, 'CORP\\ALICE', []));
    expect(visibleRows(alice2)).not.toEqual(visibleRows(alice1));
    // Bob had a cached grant under V1; V2 has no row for him: denied, not served the old view.
    expect(expectedRows(V2, 'CORP\\BOB', [])).toBeNull();
    await expect(open(lib, 'CORP\\BOB')).rejects.toMatchObject({ code: QixErrorCode.ACCESS_DENIED, reason: expect.stringContaining('NO_MATCHING_ROW') });

    // And a reload on this engine back to V1 gives V1's reductions again.
    await lib.save(app, await modelOf(V1));
    expect(visibleRows(await open(lib, 'CORP\\BOB'))).toEqual(expectedRows(V1, 'CORP\\BOB', []));
  });
});
