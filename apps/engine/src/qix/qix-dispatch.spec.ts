import { describe, expect, it } from 'vitest';
import { QIX_SCHEMA_VERSION } from './global-methods';
import { METHOD_TABLES } from './qix-dispatch';
import { loadSchema, newestSchemaVersion } from './testing/enigma-client';

describe('method tables against the newest enigma.js schema', () => {
  const schema = loadSchema();

  it('we announce the newest schema enigma.js ships', () => {
    expect(QIX_SCHEMA_VERSION).toBe(newestSchemaVersion());
  });

  for (const [type, table] of Object.entries(METHOD_TABLES)) {
    for (const [method, spec] of Object.entries(table)) {
      it(`${type}.${method}: struct, parameter names and order, result naming`, () => {
        const def = schema.structs[type]?.[method];
        expect(def, `${type}.${method} is not in the schema`).toBeDefined();
        expect([...spec.params]).toEqual(def!.In.map((p) => p.Name));
        const out = def!.Out.map((p) => p.Name);
        // Create* methods answer the schema's qInfo and the new object's handle (qReturn), as Qlik's
        // engine does (Engine API: CreateObject returns qInfo and qReturn); enigma.js builds the object from qReturn.
        if (Array.isArray(spec.out)) expect(spec.out.at(-1) === 'qReturn' && spec.out.length > 1 ? spec.out.slice(0, -1) : [...spec.out]).toEqual(out);
        else expect(out).toEqual([]);
      });
    }
  }

  it('every row of the reference table is answered', () => {
    const required: Record<string, string[]> = {
      Global: ['EngineVersion', 'ProductVersion', 'QTProduct', 'GetDocList', 'OpenDoc', 'GetActiveDoc', 'GetAuthenticatedUser'],
      Doc: ['GetTablesAndKeys', 'GetFieldDescription', 'GetField', 'CreateSessionObject', 'DestroySessionObject', 'ClearAll', 'GetTableData', 'Evaluate', 'EvaluateEx'],
      GenericObject: ['GetLayout', 'GetHyperCubeData', 'SelectHyperCubeValues'],
      Field: ['SelectValues', 'Select', 'ToggleSelect', 'Clear', 'GetCardinal'],
      // Variables (issue 18, item 3); the Doc rows are checked below with the GenericVariable struct.
      GenericVariable: ['GetLayout', 'GetProperties', 'SetProperties', 'SetStringValue', 'SetNumValue', 'GetRawContent', 'GetInfo'],
    };
    // Persisted objects, master items, bookmarks (issue 18, items 1 and 3).
    required['Doc']!.push('CreateObject', 'GetObjects', 'GetAllInfos', 'DestroyObject', 'DoSave', 'GetAppProperties', 'SetAppProperties', 'CreateDimension', 'GetDimension', 'DestroyDimension', 'CreateMeasure', 'GetMeasure', 'DestroyMeasure', 'CreateBookmark', 'GetBookmark', 'ApplyBookmark', 'DestroyBookmark', 'GetBookmarks');
    required['GenericObject']!.push('GetProperties', 'SetProperties', 'GetFullPropertyTree', 'SetFullPropertyTree', 'ApplyPatches', 'CreateChild', 'DestroyChild', 'GetChildInfos', 'Publish', 'UnPublish', 'Approve', 'UnApprove');
    required['GenericDimension'] = ['GetLayout', 'GetProperties', 'SetProperties', 'GetDimension'];
    required['GenericMeasure'] = ['GetLayout', 'GetProperties', 'SetProperties', 'GetMeasure'];
    required['GenericBookmark'] = ['GetLayout', 'GetProperties', 'SetProperties', 'Apply'];
    required['Doc']!.push('CreateVariableEx', 'GetVariableById', 'GetVariableByName', 'DestroyVariableById', 'DestroyVariableByName');
    for (const [type, methods] of Object.entries(required)) {
      const table = METHOD_TABLES[type as keyof typeof METHOD_TABLES];
      expect(methods.filter((m) => !Object.hasOwn(table, m))).toEqual([]);
    }
  });
});
