import { MAX_LIST_PAGE, MAX_SEARCH_TERMS, searchFieldValues } from '@trustzone/data-model';
import { docOf } from './doc-methods';
import type { MethodTable } from './method-table';
import { invalid, isRecord } from './method-args';

const CONTEXTS = new Set(['Cleared', 'LockedFieldsOnly', 'CurrentSelections']);
const MAX_GROUPS = 1_000;

/**
 * SearchResults: field values matching search terms, grouped as Qlik groups them — one group
 * per distinct set of matched terms, its items the fields. Values come from the user's view only
 * (searchFieldValues), so neither matches nor counts reveal excluded data.
 */
export const SEARCH_METHODS: MethodTable = {
  SearchResults: {
    params: ['qOptions', 'qTerms', 'qPage'],
    out: ['qResult'],
    run: (ctx, args) => {
      const doc = docOf(ctx);
      const options = args.has(0) ? args.object(0) : {};
      const terms = args.array(1, MAX_SEARCH_TERMS).map((t, i) => {
        if (typeof t !== 'string') throw invalid(`qTerms[${i}]`, `qTerms[${i}] must be a string`);
        return t;
      });
      const page = args.object(2);
      const offset = nat(page['qOffset'], 'qPage.qOffset', 0);
      const count = nat(page['qCount'], 'qPage.qCount', MAX_GROUPS);
      const groupItems = isRecord(page['qGroupItemOptions']) ? page['qGroupItemOptions'] : Array.isArray(page['qGroupItemOptions']) && isRecord(page['qGroupItemOptions'][0]) ? page['qGroupItemOptions'][0] : {};
      const maxMatches = Math.min(MAX_LIST_PAGE, nat(page['qMaxNbrFieldMatches'] === -1 ? undefined : page['qMaxNbrFieldMatches'], 'qPage.qMaxNbrFieldMatches', 100), nat(groupItems['qCount'] === -1 ? undefined : groupItems['qCount'], 'qPage.qGroupItemOptions.qCount', MAX_LIST_PAGE));
      const context = options['qContext'] ?? 'LockedFieldsOnly';
      if (typeof context !== 'string' || !CONTEXTS.has(context)) throw invalid('qOptions.qContext', 'qOptions.qContext must be Cleared, LockedFieldsOnly or CurrentSelections');
      const fields = options['qSearchFields'];
      if (fields !== undefined && fields !== null && (!Array.isArray(fields) || fields.length > 1_000 || fields.some((f) => typeof f !== 'string'))) throw invalid('qOptions.qSearchFields', 'qOptions.qSearchFields must be an array of field names');
      const hits = searchFieldValues(doc.model, doc.view, doc.state(), {
        terms,
        context: context as 'Cleared' | 'LockedFieldsOnly' | 'CurrentSelections',
        maxMatchesPerField: maxMatches,
        ...(Array.isArray(fields) && fields.length > 0 ? { fields: fields as string[] } : {}),
      });
      const groups = new Map<string, typeof hits>();
      for (const h of hits) {
        const key = h.termsMatched.join(',');
        const list = groups.get(key);
        if (list === undefined) groups.set(key, [h]);
        else list.push(h);
      }
      // Groups that matched more terms first, as Qlik ranks them.
      const ordered = [...groups.values()].sort((a, b) => b[0]!.termsMatched.length - a[0]!.termsMatched.length);
      return {
        qSearchTerms: terms,
        qTotalNumberOfGroups: ordered.length,
        qSearchGroupArray: ordered.slice(offset, offset + count).map((items, i) => ({
          qGroupType: 'DatasetType',
          qSearchTermsMatched: items[0]!.termsMatched,
          qId: offset + i,
          qTotalNumberOfItems: items.length,
          qItems: items.map((h) => ({
            qItemType: 'Field',
            qTotalNumberOfMatches: h.totalMatches,
            qIdentifier: h.field,
            qItemMatches: h.matches.map((m) => ({ qText: m.text, qElemNumber: m.elemNumber, qAttributes: [] })),
            qSearchTermsMatched: h.termsMatched,
          })),
        })),
      };
    },
  },
};

function nat(v: unknown, path: string, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalid(path, `${path} must be a non-negative integer`);
  return v;
}
