import { buildDataModel, type LoadResult, tablesAndKeys } from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { QixErrorCode } from '../qix';
import { salesLoadResult } from '../qix/testing/sales-fixture';
import { type AppSource, openAppFor } from './app-opener';

function sourceOf(load: LoadResult, allowed = true): AppSource & { loads: number; groups: string[] } {
  const model = buildDataModel(load);
  const s = {
    loads: 0,
    groups: [] as string[],
    authorize: async () => (allowed ? { allowed: true as const, title: 'Sales', groups: s.groups } : { allowed: false as const, reason: 'no rule grants read' }),
    load: async () => {
      s.loads += 1;
      return model;
    },
  };
  return s;
}

const user = (id: string) => ({ userDirectory: id.split('\\')[0]!, userId: id.split('\\')[1]! });
const fields = (o: Awaited<ReturnType<typeof openAppFor>>) => tablesAndKeys(o.model, o.view).tables.flatMap((t) => t.fields.map((f) => f.name));

describe('openAppFor (the one app-open path of the engine and the QIX test server)', () => {
  it('asks the rules first: a denial reads no byte of the app and is access denied with the reason', async () => {
    const s = sourceOf(salesLoadResult(), false);
    await expect(openAppFor(s, 'a', user('CORP\\ROOT'))).rejects.toMatchObject({ code: QixErrorCode.ACCESS_DENIED, reason: expect.stringContaining('repository rules') });
    expect(s.loads).toBe(0);
  });

  it('applies section access: reduction and OMIT for a listed user, denial for an unlisted one', async () => {
    const s = sourceOf(salesLoadResult());
    const bob = await openAppFor(s, 'a', user('corp\\bob'));
    expect(fields(bob)).not.toContain('MARGIN');
    expect(bob.title).toBe('Sales');
    await expect(openAppFor(s, 'a', user('CORP\\EVE'))).rejects.toMatchObject({ code: QixErrorCode.ACCESS_DENIED, reason: expect.stringContaining('NO_MATCHING_ROW') });
  });

  it('matches GROUP rows against the groups the repository answers with its authorization', async () => {
    const load = salesLoadResult();
    load.sectionAccess = { name: 'SA', fields: ['ACCESS', 'GROUP', 'REGION'], columns: [['USER'], ['SALES'], ['EAST']] };
    const s = sourceOf(load);
    s.groups = ['sales'];
    expect((await openAppFor(s, 'a', user('CORP\\ANY'))).view.isFullView()).toBe(false);
    s.groups = [];
    await expect(openAppFor(s, 'a', user('CORP\\ANY'))).rejects.toMatchObject({ code: QixErrorCode.ACCESS_DENIED });
  });

  it('an app without a security table opens whole', async () => {
    const load = salesLoadResult();
    load.sectionAccess = null;
    expect((await openAppFor(sourceOf(load), 'a', user('CORP\\EVE'))).view.isFullView()).toBe(true);
  });
});
