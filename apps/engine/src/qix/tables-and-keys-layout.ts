import type { TablesAndKeys } from '@trustzone/data-model';

/**
 * GetTablesAndKeys in QIX shape (NxTableRecord / NxKey) from the data model's view-bound listing:
 * counts are the user's visible rows, OMITted and hidden fields are absent. No synthetic keys exist
 * (the model refuses composite keys), so qSyntheticMode changes nothing.
 */
export function tablesAndKeysLayout(tk: TablesAndKeys): { qtr: unknown[]; qk: unknown[] } {
  return {
    qtr: tk.tables.map((t) => ({
      qName: t.name,
      qLoose: false,
      qNoOfRows: t.rowCount,
      qIsSynthetic: false,
      qIsDirectDiscovery: false,
      qComment: '',
      qFields: t.fields.map((f) => ({
        qName: f.name,
        qOriginalFields: [],
        qPresent: true,
        qHasNull: f.nNonNulls < f.nRows,
        qHasWild: false,
        qHasDuplicates: f.nPresentDistinct < f.nNonNulls,
        qIsSynthetic: false,
        qInformationDensity: f.nRows === 0 ? 0 : f.nNonNulls / f.nRows,
        qnNonNulls: f.nNonNulls,
        qnRows: f.nRows,
        qSubsetRatio: f.nTotalDistinct === 0 ? 0 : f.nPresentDistinct / f.nTotalDistinct,
        qnTotalDistinctValues: f.nTotalDistinct,
        qnPresentDistinctValues: f.nPresentDistinct,
        qKeyType: f.keyType,
        qComment: '',
        qTags: f.keyType === 'NOT_KEY' ? [] : ['$key'],
      })),
    })),
    qk: tk.keys.map((k) => ({ qKeyFields: k.keyFields, qTables: k.tables })),
  };
}
