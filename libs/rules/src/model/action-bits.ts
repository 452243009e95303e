import { RulesError, RulesErrorCode } from '../rules.error';

/** Action bits of the rule entity (security-rules.md "Actions bits"). Names are the lower-case spelling. */
export const ACTION_BITS = {
  create: 1,
  read: 2,
  update: 4,
  delete: 8,
  export: 16,
  publish: 32,
  changeowner: 64,
  changerole: 128,
  exportdata: 256,
  accessoffline: 512,
  distribute: 1024,
  duplicate: 2048,
  approve: 4096,
} as const;

export type ActionName = keyof typeof ACTION_BITS;

export const ACTION_NAMES = Object.keys(ACTION_BITS) as readonly ActionName[];

/** Every defined bit: 8191. */
export const ALL_ACTIONS_MASK = ACTION_NAMES.reduce((mask, name) => mask | ACTION_BITS[name], 0);

/** Position of a single bit in ACTION_NAMES (0..12), used to index per-action tables. */
export function actionIndex(bit: number): number {
  return 31 - Math.clz32(bit);
}

const BIT_BY_NAME = new Map<string, number>(Object.entries(ACTION_BITS));

/** Case-insensitive action name → bit, or undefined for anything unknown (never throws). */
export function actionBit(name: string): number | undefined {
  if (typeof name !== 'string') return undefined;
  return BIT_BY_NAME.get(name) ?? BIT_BY_NAME.get(name.toLowerCase());
}

export function requireActionBit(name: string): number {
  const bit = actionBit(name);
  if (bit === undefined) throw new RulesError(RulesErrorCode.UNKNOWN_ACTION, `unknown action '${String(name)}'`);
  return bit;
}

/** Mask → action names in bit order. Bits outside ALL_ACTIONS_MASK are ignored. */
export function actionNamesOf(mask: number): ActionName[] {
  return ACTION_NAMES.filter((name) => (mask & ACTION_BITS[name]) !== 0);
}

/** Display name as the product spells it (ChangeOwner, ExportData, …). */
export function actionDisplayName(name: ActionName): string {
  const special: Partial<Record<ActionName, string>> = {
    changeowner: 'ChangeOwner',
    changerole: 'ChangeRole',
    exportdata: 'ExportData',
    accessoffline: 'AccessOffline',
  };
  return special[name] ?? name.charAt(0).toUpperCase() + name.slice(1);
}
