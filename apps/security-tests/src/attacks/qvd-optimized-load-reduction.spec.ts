import { buildDataModel, columnOf, encodedColumns, fullView, type DataModel } from '@trustzone/data-model';
import { runScript } from '@trustzone/load-script';
import { reduce } from '@trustzone/section-access';
import { describe, expect, it } from 'vitest';

const user = (userId: string) => ({ directory: 'CORP', userId, groups: [] });

/**
 * Threat: a QVD loaded whole (Qlik's optimized load) reaches the model as symbols + row indexes
 * instead of one value per cell. Section access reduces the model, so it must hide exactly the
 * rows it hides when the same data is loaded cell by cell — no row of another region may survive
 * the reduction because the model was built from the encoded form.
 */
describe('section access over a QVD kept in its optimized-load form', () => {
  it('a reduced user sees only their region of a QVD loaded whole, exactly as of the same rows loaded from text', async () => {
    const files: Record<string, Uint8Array | string> = {};
    const io = {
      read: (c: string, p: string) => {
        const v = files[`${c}/${p}`];
        if (v === undefined) throw new Error('file not found');
        return v;
      },
      list: async () => [],
      write: async (c: string, p: string, bytes: Uint8Array) => {
        files[`${c}/${p}`] = bytes;
      },
    };
    const rows = [['NORTH', 'n1', 10], ['SOUTH', 's1', 20], ['NORTH', 'n2', 30], ['EAST', 'e1', 40], ['SOUTH', 's2', 50]] as const;
    const inline = `REGION, ORDER, AMOUNT\n${rows.map((r) => r.join(', ')).join('\n')}`;
    const access = `Section Access;
LOAD * INLINE [
ACCESS, USERID, REGION
USER, CORP\\ALICE, NORTH
USER, CORP\\BOB, SOUTH
];
Section Application;
`;
    // Write the QVD with one script, load it whole in another (its table then stays encoded).
    await runScript(`Src: LOAD * INLINE [\n${inline}\n];\nSTORE Src INTO [lib://d/orders.qvd] (qvd);`, { files: io, sink: io });
    const fromQvd = await runScript(`${access}Orders: LOAD * FROM [lib://d/orders.qvd] (qvd);`, { files: io, sink: io });
    expect(encodedColumns(fromQvd.tables[0]!)).toBeDefined();
    const fromText = await runScript(`${access}Orders: LOAD * INLINE [\n${inline}\n];`);
    const qvdModel = buildDataModel(fromQvd);
    const textModel = buildDataModel(fromText);

    /** Orders and amounts a user can see: every row of the reduced model's table. */
    const visible = (model: DataModel, securityTable: typeof fromQvd.sectionAccess, id: string) => {
      const r = reduce(model, securityTable!, user(id));
      if (r.kind !== 'granted') return r.kind;
      const rowsLeft = r.view.rowSet(0)?.toArray() ?? [...Array(model.tables[0]!.rowCount).keys()];
      const cell = (field: string, row: number) => {
        const f = model.fieldByName.get(field)!;
        const s = columnOf(model, 0, f)![row]!;
        return field === 'AMOUNT' ? model.fields[f]!.symbols.num(s) : model.fields[f]!.symbols.text(s);
      };
      return rowsLeft.map((row) => [cell('ORDER', row), cell('AMOUNT', row)]);
    };
    for (const [id, region] of [['ALICE', 'NORTH'], ['BOB', 'SOUTH']] as const) {
      const expected = rows.filter((r) => r[0] === region).map((r) => [r[1], r[2]]);
      expect(visible(qvdModel, fromQvd.sectionAccess, id)).toEqual(expected);
      expect(visible(textModel, fromText.sectionAccess, id)).toEqual(expected);
    }
    expect(visible(qvdModel, fromQvd.sectionAccess, 'EVE')).toBe('denied');
    // Unreduced, the QVD model holds every row (the reduction, not the load, hid them).
    expect(qvdModel.tables[0]!.rowCount).toBe(5);
    expect(fullView(qvdModel).rowSet(0)).toBeNull(); // null: every row
  });
});
