import { docOf } from '../doc-methods';
import type { MethodTable } from '../method-table';
import { invalid } from '../method-args';
import { readTerms } from '../search-association-methods';
import { readableRefs } from './object-context';
import { RESERVED_TYPES } from './object-lists';
import type { StoredObject } from './stored-object';

/*
 * Doc.SearchObjects: the persisted generic objects whose title, subtitle, footnote or type match
 * the terms — only objects the caller may read (the same rules as GetObject; a private sheet of
 * another user is never found, nor are its children). Deliberate differences from Qlik: session
 * objects are not searched; titles that are expressions ({qStringExpression}) are not evaluated and
 * dimension values associated with an object are not searched (Qlik's "Osaka" case) — so a search
 * can only ever echo text a client stored in properties the caller may read anyway.
 */

// The types Qlik never returns from SearchObjects, plus trustzone's own reserved ones.
const NEVER = new Set(['slideitem', 'sheet', 'story', 'slide', 'masterobject', 'snapshot', 'LoadModel', 'appprops', 'searchhistory', ...RESERVED_TYPES]);
const MAX_OBJECT_GROUPS = 1_000;
const MAX_SEARCH_TERM_LENGTH = 200;

/** The searched attributes: property path (as Qlik names it in qAttributes.qValue) and text. */
function attributes(o: StoredObject): { path: string; text: string }[] {
  const p = o.properties;
  const meta = p['qMetaDef'] !== null && typeof p['qMetaDef'] === 'object' ? (p['qMetaDef'] as Record<string, unknown>) : {};
  const out: { path: string; text: string }[] = [];
  for (const [path, v] of [['title', p['title']], ['subtitle', p['subtitle']], ['footnote', p['footnote']], ['qMetaDef/title', meta['title']], ['qMetaDef/description', meta['description']]] as const) {
    if (typeof v === 'string' && v !== '') out.push({ path, text: v.slice(0, 10_000) });
  }
  out.push({ path: 'qInfo/qType', text: o.type });
  return out;
}

function matcher(term: string): (text: string) => boolean {
  if (term.length > MAX_SEARCH_TERM_LENGTH) throw invalid('qTerms', `a search term is at most ${MAX_SEARCH_TERM_LENGTH} characters`);
  const lower = term.toLowerCase();
  return (text) => lower !== '' && text.toLowerCase().includes(lower);
}

function nat(v: unknown, path: string, fallback: number): number {
  if (v === undefined || v === null || v === -1) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalid(path, `${path} must be a non-negative integer`);
  return v;
}

export const OBJECT_SEARCH_METHODS: MethodTable = {
  SearchObjects: {
    params: ['qOptions', 'qTerms', 'qPage'],
    out: ['qResult'],
    run: async (ctx, args) => {
      if (args.has(0)) args.object(0);
      const terms = readTerms(args, 1);
      const page = args.has(2) ? args.object(2) : {};
      const offset = nat(page['qOffset'], 'qPage.qOffset', 0);
      const count = Math.min(nat(page['qCount'], 'qPage.qCount', MAX_OBJECT_GROUPS), MAX_OBJECT_GROUPS);
      const perItem = nat(page['qMaxNbrFieldMatches'], 'qPage.qMaxNbrFieldMatches', 100);
      const matchers = terms.map(matcher);
      const empty = { qSearchTerms: terms, qTotalNumberOfGroups: 0, qSearchGroupArray: [] };
      if (ctx.core.deps.objects === undefined || ctx.core.deps.objectAccess === undefined) return empty;
      const candidates = docOf(ctx).objects.all().filter((o) => !NEVER.has(o.type));
      const readable = await readableRefs(ctx, candidates);
      const items = readable.flatMap((o) => {
        const matched = new Set<number>();
        const matches = attributes(o).flatMap(({ path, text }) => {
          const hit = matchers.flatMap((m, k) => (m(text) ? [k] : []));
          hit.forEach((k) => matched.add(k));
          return hit.length === 0 ? [] : [{ qText: text, qAttributes: [{ qKey: 'qProperty', qValue: path }] }];
        });
        return matches.length === 0 ? [] : [{ id: o.id, terms: [...matched].sort((a, b) => a - b), matches }];
      });
      const groups = new Map<string, typeof items>();
      for (const it of items) {
        const key = it.terms.join(',');
        groups.set(key, [...(groups.get(key) ?? []), it]);
      }
      const ordered = [...groups.values()].sort((a, b) => b[0]!.terms.length - a[0]!.terms.length);
      return {
        qSearchTerms: terms,
        qTotalNumberOfGroups: ordered.length,
        qSearchGroupArray: ordered.slice(offset, offset + count).map((group, i) => ({
          qGroupType: 'GenericObjectsType',
          qSearchTermsMatched: group[0]!.terms,
          qId: offset + i,
          qTotalNumberOfItems: group.length,
          qItems: group.map((it) => ({
            qItemType: 'GenericObject',
            qTotalNumberOfMatches: it.matches.length,
            qIdentifier: it.id,
            qItemMatches: it.matches.slice(0, perItem),
            qSearchTermsMatched: it.terms,
          })),
        })),
      };
    },
  },
};
