import { compileGlob, type Cell } from '@trustzone/data-model';
import { fromBoolean, isDual, isTrue, toNumber, toText } from '../cell-value';
import type { Compiled } from '../eval-context';
import { type CompileSite, type FunctionDef, scalar, special } from './function-types';

function args(site: CompileSite): Compiled[] {
  return site.node.args.map((_, i) => site.arg(i));
}

/** Match family: the 1-based index of the first matching argument, 0 when none matches. */
function matcher(kind: 'exact' | 'mixed' | 'wild') {
  return special(2, 256, (site) => {
    const [subject, ...cases] = args(site);
    // WildMatch: data-model's glob matcher (case-insensitive, never exponential on author patterns).
    const compiledPatterns = new Map<string, (text: string) => boolean>();
    return (c) => {
      const v = subject!(c);
      if (v === null) return 0;
      const text = toText(v);
      for (let k = 0; k < cases.length; k++) {
        const p = cases[k]!(c);
        if (p === null) continue;
        const pt = toText(p);
        let hit: boolean;
        if (kind === 'exact') hit = pt === text;
        else if (kind === 'mixed') hit = pt.toLowerCase() === text.toLowerCase();
        else {
          let match = compiledPatterns.get(pt);
          if (!match) compiledPatterns.set(pt, (match = compileGlob(pt)));
          hit = match(text);
        }
        if (hit) return k + 1;
      }
      return 0;
    };
  });
}

export function isNumeric(v: Cell): boolean {
  return toNumber(v) !== null;
}

export const CONDITIONAL_FUNCTIONS: Record<string, FunctionDef> = {
  /** If(cond, then[, else]): only the chosen branch is evaluated. */
  IF: special(2, 3, (site) => {
    const [cond, then, otherwise] = args(site);
    return (c) => (isTrue(cond!(c)) ? then!(c) : otherwise ? otherwise(c) : null);
  }),
  /** Alt(a, b, …, else): the first argument with a number, else the last argument. */
  ALT: special(1, 256, (site) => {
    const all = args(site);
    return (c) => {
      for (let k = 0; k < all.length - 1; k++) {
        const v = all[k]!(c);
        if (toNumber(v) !== null) return v;
      }
      return all[all.length - 1]!(c);
    };
  }),
  /** Pick(n, a, b, …): the n-th of the others (1-based); null when out of range. */
  PICK: special(2, 256, (site) => {
    const [n, ...choices] = args(site);
    return (c) => {
      const k = toNumber(n!(c));
      if (k === null || !Number.isInteger(k) || k < 1 || k > choices.length) return null;
      return choices[k - 1]!(c);
    };
  }),
  MATCH: matcher('exact'),
  MIXMATCH: matcher('mixed'),
  WILDMATCH: matcher('wild'),
  ISNULL: scalar(1, 1, (a) => fromBoolean(a[0] === null || a[0] === undefined)),
  ISNUM: scalar(1, 1, (a) => fromBoolean(isNumeric(a[0] ?? null))),
  ISTEXT: scalar(1, 1, (a) => {
    const v = a[0] ?? null;
    return fromBoolean(typeof v === 'string' && toNumber(v) === null);
  }),
  NULL: scalar(0, 0, () => null),
  TRUE: scalar(0, 0, () => -1),
  FALSE: scalar(0, 0, () => 0),
  /** Text(x): only the text of a value (a dual loses its number). */
  TEXT: scalar(1, 1, (a) => {
    const v = a[0] ?? null;
    return v === null ? null : typeof v === 'string' ? v : isDual(v) ? v.text : toText(v);
  }),
};
