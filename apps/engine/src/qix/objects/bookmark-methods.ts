import { clearAll, MAX_SELECT_VALUES, resolveField, select, type SelectValue } from '@trustzone/data-model';
import { docOf } from '../doc-methods';
import type { DocContext } from '../doc-context';
import { isRecord } from '../method-args';
import type { CallContext, MethodTable } from '../method-table';
import { created, createPersisted } from './object-doc-methods';
import { itemDocMethods, itemHandle, itemMethods, type ItemKind, listItems, readableItem, readItemProperties } from './typed-items';
import type { BookmarkField, StoredObject } from './stored-object';

/*
 * Bookmarks (Doc.CreateBookmark/GetBookmark/ApplyBookmark/DestroyBookmark/GetBookmarks,
 * GenericBookmark). A bookmark stores the creator's selections as values. Applying one selects
 * those values again inside the applying user's view: a value section access hides from them
 * matches nothing, a field it omits is skipped — a bookmark made by an unreduced user never widens
 * what a reduced user sees. Its layout lists only the stored values the reader's view contains.
 */

export const BOOKMARK: ItemKind = { type: 'bookmark', handleType: 'GenericBookmark', check: (_ctx, properties) => properties };

/** The session's selections as values (text, or number for a numeric value). */
function currentSelections(doc: DocContext): BookmarkField[] {
  const out: BookmarkField[] = [];
  const sel = doc.selections;
  for (const fid of sel.fieldIds()) {
    const field = doc.model.fields[fid];
    const set = sel.get(fid);
    if (field === undefined || set === undefined) continue;
    const values: SelectValue[] = [];
    set.forEach((s) => {
      if (values.length < MAX_SELECT_VALUES) values.push(field.symbols.isNumeric(s) ? { number: field.symbols.num(s) } : { text: field.symbols.text(s) });
    });
    out.push({ field: field.name, values });
  }
  return out;
}

/** The stored values of one field that this reader's view holds (none for an omitted field). */
function visibleValues(doc: DocContext, item: BookmarkField): { qText: string; qNum: number | 'NaN' }[] | null {
  let fid: number;
  try {
    fid = resolveField(doc.model, doc.view, item.field);
  } catch {
    return null;
  }
  const symbols = doc.model.fields[fid]!.symbols;
  const texts = new Set<string>();
  const numbers = new Set<number>();
  for (const v of item.values) {
    if ('number' in v) numbers.add(v.number);
    else texts.add(v.text);
  }
  const found = symbols.find(texts, numbers);
  const visible = doc.view.fieldSymbols(fid);
  const out: { qText: string; qNum: number | 'NaN' }[] = [];
  found.forEach((s) => {
    if (visible === null || visible.has(s)) out.push({ qText: symbols.text(s), qNum: symbols.isNumeric(s) ? symbols.num(s) : 'NaN' });
  });
  return out;
}

function bookmarkLayout(ctx: CallContext, obj: StoredObject): Record<string, unknown> {
  const doc = docOf(ctx);
  const items = (obj.selections ?? []).flatMap((item) => {
    const values = visibleValues(doc, item);
    return values === null || values.length === 0 ? [] : [{ qDef: { qName: item.field, qType: 'PRESENT' }, qValues: values, qSelectInfo: { qTextSearch: '' } }];
  });
  return { qBookmark: { qStateData: [{ qStateName: '$', qFieldItems: items }], qUtcModifyTime: Date.parse(obj.modifiedDate) / 86_400_000 + 25_569 } };
}

/** Clear, then select each stored field's values inside this user's view. */
function apply(ctx: CallContext, obj: StoredObject): boolean {
  const doc = docOf(ctx);
  let next = clearAll();
  for (const item of obj.selections ?? []) {
    try {
      resolveField(doc.model, doc.view, item.field);
    } catch {
      continue; // omitted or gone for this user: nothing to select
    }
    next = select(doc.model, doc.view, next, item.field, item.values).selections;
  }
  doc.selections = next;
  return true;
}

export const GENERIC_BOOKMARK_METHODS: MethodTable = itemMethods(BOOKMARK, bookmarkLayout, {
  Apply: {
    params: [],
    out: ['qSuccess'],
    run: (ctx) => {
      const e = ctx.entry;
      const obj = e.type === 'GenericBookmark' ? docOf(ctx).objects.get(e.objectId) : undefined;
      return obj === undefined ? false : apply(ctx, obj);
    },
  },
});

const base = itemDocMethods(BOOKMARK, { create: 'CreateBookmark', get: 'GetBookmark', destroy: 'DestroyBookmark' });

export const BOOKMARK_DOC_METHODS: MethodTable = {
  ...base,
  CreateBookmark: {
    params: ['qProp'],
    out: ['qInfo', 'qReturn'],
    run: async (ctx, args) => {
      const properties = readItemProperties(ctx, BOOKMARK, args.object(0));
      const selections = currentSelections(docOf(ctx));
      return created(itemHandle(ctx, BOOKMARK, await createPersisted(ctx, properties, { fixedType: 'bookmark', selections })));
    },
  },
  ApplyBookmark: {
    params: ['qId'],
    out: ['qSuccess'],
    run: async (ctx, args) => apply(ctx, await readableItem(ctx, BOOKMARK, args.string(0, 1000))),
  },
  GetBookmarks: {
    params: ['qOptions'],
    out: ['qList'],
    run: async (ctx, args) => {
      const opts = args.has(0) ? args.object(0) : {};
      return listItems(ctx, BOOKMARK, isRecord(opts) && opts['qData'] !== undefined ? { qData: opts['qData'] } : undefined);
    },
  },
};
