import { cardinal, clearField, MAX_SELECT_VALUES, select, selectElements, selectMatch, type SelectResult, type SelectValue } from '@trustzone/data-model';
import type { DocContext } from './doc-context';
import { docOf } from './doc-methods';
import { invalid, isRecord, type MethodArgs } from './method-args';
import type { CallContext, MethodTable } from './method-table';
import { QixError, QixErrorCode } from './qix.error';

function fieldOf(ctx: CallContext): string {
  if (ctx.entry.type !== 'Field') throw new QixError(QixErrorCode.INVALID_HANDLE, 'Invalid handle');
  return ctx.entry.field;
}

/** Apply a selection result to the session; qReturn is whether anything inside the view matched. */
function apply(doc: DocContext, r: SelectResult): boolean {
  doc.selections = r.selections;
  return r.matched > 0;
}

/** QIX FieldValue → data-model value: by number when the client says it is numeric, else by text. */
function readFieldValues(args: MethodArgs): SelectValue[] {
  return args.array(0, MAX_SELECT_VALUES).map((v, i) => {
    if (!isRecord(v)) throw invalid('qFieldValues', `qFieldValues[${i}] must be an object`);
    if (v['qIsNumeric'] === true && typeof v['qNumber'] === 'number' && Number.isFinite(v['qNumber'])) return { number: v['qNumber'] };
    if (typeof v['qText'] === 'string') return { text: v['qText'] };
    throw invalid('qFieldValues', `qFieldValues[${i}] needs a qText or a numeric qNumber`);
  });
}

function matchSelect(ctx: CallContext, args: MethodArgs, toggle: boolean): boolean {
  const doc = docOf(ctx);
  const pattern = args.string(0, 10_000);
  args.boolean(1, false);
  args.integer(2, 0);
  return apply(doc, selectMatch(doc.model, doc.view, doc.selections, fieldOf(ctx), pattern, toggle));
}

/**
 * Field methods. A Field handle exists only for a field the user can see; every selection is
 * intersected with the user's view by the data model, so an excluded value selects nothing and the
 * answer is the same as for a value that does not exist.
 */
export const FIELD_METHODS: MethodTable = {
  SelectValues: {
    params: ['qFieldValues', 'qToggleMode', 'qSoftLock'],
    out: 'qReturn',
    run: (ctx, args) => {
      const doc = docOf(ctx);
      const values = readFieldValues(args);
      const toggle = args.boolean(1, false);
      args.boolean(2, false);
      return apply(doc, select(doc.model, doc.view, doc.selections, fieldOf(ctx), values, toggle));
    },
  },
  Select: { params: ['qMatch', 'qSoftLock', 'qExcludedValuesMode'], out: 'qReturn', run: (ctx, args) => matchSelect(ctx, args, false) },
  ToggleSelect: { params: ['qMatch', 'qSoftLock', 'qExcludedValuesMode'], out: 'qReturn', run: (ctx, args) => matchSelect(ctx, args, true) },
  LowLevelSelect: {
    params: ['qValues', 'qToggleMode', 'qSoftLock'],
    out: 'qReturn',
    run: (ctx, args) => {
      const doc = docOf(ctx);
      const elements = args.array(0, MAX_SELECT_VALUES).map((v) => {
        if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalid('qValues', 'qValues must hold element numbers (integers)');
        return v;
      });
      const toggle = args.boolean(1, false);
      args.boolean(2, false);
      return apply(doc, selectElements(doc.model, doc.view, doc.selections, fieldOf(ctx), elements, toggle));
    },
  },
  Clear: {
    params: [],
    out: 'qReturn',
    run: (ctx) => {
      const doc = docOf(ctx);
      doc.selections = clearField(doc.model, doc.view, doc.selections, fieldOf(ctx));
      return true;
    },
  },
  GetCardinal: {
    params: [],
    out: 'qReturn',
    run: (ctx) => {
      const doc = docOf(ctx);
      return cardinal(doc.model, doc.view, fieldOf(ctx));
    },
  },
};
