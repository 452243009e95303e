import { clearAll, type FieldSearchHit, MAX_LIST_PAGE, MAX_SEARCH_TERMS, MAX_SELECT_VALUES, searchFieldValues, selectElements } from '@trustzone/data-model';
import type { DocContext } from './doc-context';
import { docOf } from './doc-methods';
import { invalid, type MethodArgs } from './method-args';
import type { MethodTable } from './method-table';

/*
 * The rest of Qlik's field-value search beside SearchResults: SearchSuggest (completions for the
 * term being typed), SearchAssociations (deprecated in Qlik, still used by older clients) and
 * SelectAssociations (select what a search matched). All of them search with searchFieldValues,
 * which only scans values inside the user's view — so no suggestion, count, range or selection can
 * reveal or reach a value section access excludes.
 */

type Context = 'Cleared' | 'LockedFieldsOnly' | 'CurrentSelections';
const CONTEXTS = new Set<Context>(['Cleared', 'LockedFieldsOnly', 'CurrentSelections']);
/** Qlik's SearchSuggest answers a short list; trustzone bounds it at this many suggestions. */
export const MAX_SUGGESTIONS = 20;
const MAX_COMBINATIONS = 1_000;

interface CombinationOptions {
  context: Context;
  fields?: string[];
}

export function readTerms(args: MethodArgs, i: number): string[] {
  return args.array(i, MAX_SEARCH_TERMS).map((t, k) => {
    if (typeof t !== 'string') throw invalid(`qTerms[${k}]`, `qTerms[${k}] must be a string`);
    return t;
  });
}

/** SearchCombinationOptions: qSearchFields and qContext (qCharEncoding and qAttributes are accepted, not used). */
function readOptions(args: MethodArgs, i: number): CombinationOptions {
  const o = args.has(i) ? args.object(i) : {};
  const context = o['qContext'] ?? 'LockedFieldsOnly';
  if (typeof context !== 'string' || !CONTEXTS.has(context as Context)) throw invalid('qOptions.qContext', 'qOptions.qContext must be Cleared, LockedFieldsOnly or CurrentSelections');
  const fields = o['qSearchFields'];
  if (fields !== undefined && fields !== null && (!Array.isArray(fields) || fields.length > 1_000 || fields.some((f) => typeof f !== 'string'))) throw invalid('qOptions.qSearchFields', 'qOptions.qSearchFields must be an array of field names');
  // enigma.js fills an absent qSearchFields with its schema default [""]: that means "every field".
  const named = Array.isArray(fields) ? (fields as string[]).filter((f) => f !== '') : [];
  return { context: context as Context, ...(named.length > 0 ? { fields: named } : {}) };
}

function nat(v: unknown, path: string, fallback: number): number {
  if (v === undefined || v === null || v === -1) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalid(path, `${path} must be a non-negative integer`);
  return v;
}

function search(doc: DocContext, terms: readonly string[], opts: CombinationOptions, maxMatchesPerField: number): FieldSearchHit[] {
  return searchFieldValues(doc.model, doc.view, doc.state(), { terms, context: opts.context, maxMatchesPerField, ...(opts.fields === undefined ? {} : { fields: opts.fields }) });
}

/** Hits grouped by the set of terms they matched, most terms first (the order SearchResults uses). */
function combinations(hits: readonly FieldSearchHit[]): FieldSearchHit[][] {
  const groups = new Map<string, FieldSearchHit[]>();
  for (const h of hits) {
    const key = h.termsMatched.join(',');
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [h]);
    else list.push(h);
  }
  return [...groups.values()].sort((a, b) => b[0]!.termsMatched.length - a[0]!.termsMatched.length);
}

/** Where each plain term occurs in a text (a wildcard term highlights the whole text, as it matched whole). */
function ranges(text: string, terms: readonly string[]): { qCharPos: number; qCharCount: number; qTerm: number }[] {
  const lower = text.toLowerCase();
  return terms.flatMap((t, k) => {
    if (/[*?]/.test(t)) return [{ qCharPos: 0, qCharCount: text.length, qTerm: k }];
    if (t === '') return [];
    const at = lower.indexOf(t.toLowerCase());
    return at < 0 ? [] : [{ qCharPos: at, qCharCount: t.length, qTerm: k }];
  });
}

/** A word of the text starts with the term (case-insensitive): what a completion offers. */
function completes(text: string, term: string): boolean {
  const lower = text.toLowerCase();
  return lower.startsWith(term) || lower.split(/[\s\-_/.,;:()]+/).some((w) => w.startsWith(term));
}

export const SEARCH_ASSOCIATION_METHODS: MethodTable = {
  /**
   * Completions for the last term: values of the searched fields (inside the view, under the
   * context) with a word starting with it, shortest first. Deliberate difference from Qlik: the
   * suggestion is the whole value as stored, not a lower-cased word of it.
   */
  SearchSuggest: {
    params: ['qOptions', 'qTerms'],
    out: ['qResult'],
    run: (ctx, args) => {
      const doc = docOf(ctx);
      const opts = readOptions(args, 0);
      const terms = readTerms(args, 1);
      const last = terms.length - 1;
      const term = (terms[last] ?? '').trim().toLowerCase();
      if (term === '' || /[*?]/.test(term)) return { qSuggestions: [], qFieldNames: [] };
      const hits = search(doc, [term], opts, MAX_LIST_PAGE);
      const fields = new Set<string>();
      const values = new Map<string, string>();
      for (const h of hits) {
        for (const m of h.matches) {
          if (!completes(m.text, term)) continue;
          fields.add(h.field);
          if (!values.has(m.text)) values.set(m.text, h.field);
        }
      }
      const ordered = [...values.keys()].sort((a, b) => a.length - b.length || a.localeCompare(b)).slice(0, MAX_SUGGESTIONS);
      return { qSuggestions: ordered.map((v) => ({ qValue: v, qTerm: last })), qFieldNames: [...fields] };
    },
  },
  /** Qlik's deprecated SearchAssociations: field dictionaries of the matches and their combinations. */
  SearchAssociations: {
    params: ['qOptions', 'qTerms', 'qPage'],
    out: ['qResults'],
    run: (ctx, args) => {
      const doc = docOf(ctx);
      const opts = readOptions(args, 0);
      const terms = readTerms(args, 1);
      const page = args.has(2) ? args.object(2) : {};
      const offset = nat(page['qOffset'], 'qPage.qOffset', 0);
      const count = Math.min(nat(page['qCount'], 'qPage.qCount', MAX_COMBINATIONS), MAX_COMBINATIONS);
      const perField = Math.min(nat(page['qMaxNbrFieldMatches'], 'qPage.qMaxNbrFieldMatches', 100), MAX_LIST_PAGE);
      const hits = search(doc, terms, opts, perField);
      const fieldNames = hits.map((h) => h.field);
      const all = combinations(hits);
      return {
        qFieldNames: fieldNames,
        qSearchTerms: terms,
        qFieldDictionaries: hits.map((h, k) => ({ qField: k, qResult: h.matches.map((m) => ({ qText: m.text, qElemNumber: m.elemNumber, qRanges: ranges(m.text, terms) })) })),
        qSearchTermsMatched: [
          {
            qSearchMatchCombinations: all.slice(offset, offset + count).map((group, i) => ({
              qId: offset + i,
              qFieldMatches: group.map((h) => ({ qField: fieldNames.indexOf(h.field), qValues: h.matches.map((_, v) => v), qTerms: h.termsMatched, qNoOfMatches: h.totalMatches })),
            })),
          },
        ],
        qTotalSearchResults: all.length,
      };
    },
  },
  /**
   * Select every value of match combination qMatchIx (the qId SearchAssociations gave it). As in
   * Qlik, the Cleared context clears the selections first; trustzone has no locked fields, so
   * LockedFieldsOnly clears them too, and CurrentSelections selects within the current ones.
   */
  SelectAssociations: {
    params: ['qOptions', 'qTerms', 'qMatchIx', 'qSoftLock'],
    out: 'void',
    run: (ctx, args) => {
      const doc = docOf(ctx);
      const opts = readOptions(args, 0);
      const terms = readTerms(args, 1);
      const ix = args.integer(2);
      if (args.has(3) && args.boolean(3, false) !== false) throw invalid('qSoftLock', 'qSoftLock is not supported');
      const group = combinations(search(doc, terms, opts, MAX_SELECT_VALUES))[ix];
      if (group === undefined) throw invalid('qMatchIx', 'qMatchIx names no match combination of these terms');
      let selections = opts.context === 'CurrentSelections' ? doc.selections : clearAll();
      for (const h of group) selections = selectElements(doc.model, doc.view, selections, h.field, h.matches.map((m) => m.elemNumber)).selections;
      doc.selections = selections;
    },
  },
};
