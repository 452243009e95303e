import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { invalid } from './method-args';

/*
 * The variables of an open app, as QIX shows them: the persisted ones (CreateVariableEx; stored in
 * the app file, encrypted with it) and the ones the load script set (SET/LET, read-only here,
 * qIsScriptCreated). Names are case-sensitive as in Qlik; a persisted variable may not take the name
 * of another variable of either kind.
 */

/** Bounds (the QIX edge refuses beyond them). */
export const VARIABLE_LIMITS = Object.freeze({ perApp: 1000, nameChars: 256, definitionChars: 64 * 1024, commentChars: 4096 });

/**
 * Reserved variables a script sets (number/date formats and the like, or the engine: ScriptError…).
 * Qlik marks them qIsReserved and lists them only with qShowReserved. qIsConfig is for the engine's
 * own system variables, which trustzone has none of.
 */
const RESERVED = new Set(
  'ScriptError ScriptErrorCount ScriptErrorList ThousandSep DecimalSep MoneyThousandSep MoneyDecimalSep MoneyFormat TimeFormat DateFormat TimestampFormat MonthNames LongMonthNames DayNames LongDayNames FirstWeekDay BrokenWeeks ReferenceDay FirstMonthOfYear CollationLocale CreateSearchIndexOnReload NumericalAbbreviation HidePrefix HideSuffix ErrorMode'
    .split(' ')
    .map((n) => n.toLowerCase()),
);

// A name that could itself start an expansion or break out of one is refused.
const NAME = z
  .string()
  .min(1)
  .max(VARIABLE_LIMITS.nameChars)
  .regex(/^[^$()=\[\]\s'"`\u0000-\u001f][^$()\[\]'"`\u0000-\u001f]*$/, 'a variable name may not contain $ ( ) [ ] quotes or control characters, nor start with = or a space');

/** GenericVariableProperties as a client sends them (CreateVariableEx, SetProperties). */
export const VARIABLE_PROPERTIES = z.looseObject({
    qInfo: z.looseObject({ qId: z.string().max(256).optional(), qType: z.string().max(256).optional() }).optional(),
    qMetaDef: z.record(z.string(), z.unknown()).optional(),
    qName: NAME,
    qComment: z.string().max(VARIABLE_LIMITS.commentChars).optional(),
    qNumberPresentation: z.record(z.string(), z.unknown()).optional(),
    qIncludeInBookmark: z.boolean().optional(),
    qDefinition: z.string().max(VARIABLE_LIMITS.definitionChars).optional(),
});

export interface Variable {
  id: string;
  name: string;
  definition: string;
  comment: string;
  scriptCreated: boolean;
  reserved: boolean;
  /** The properties as the client set them (qInfo completed); a script variable's are made up here. */
  properties: Record<string, unknown>;
}

/** Validate client properties (400-like QIX error naming the field); the id is kept or made. */
export function readVariableProperties(raw: unknown, maxChars: number, fixedId?: string): Variable {
  if (JSON.stringify(raw ?? null).length > maxChars) throw invalid('qProp', `properties larger than ${maxChars} characters`);
  const parsed = VARIABLE_PROPERTIES.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(['qProp', ...issue.path].join('.'), issue.message);
  }
  const p = parsed.data;
  const id = fixedId ?? (p.qInfo?.qId !== undefined && p.qInfo.qId !== '' ? p.qInfo.qId : randomUUID());
  const properties: Record<string, unknown> = { ...p, qInfo: { ...(p.qInfo ?? {}), qId: id, qType: 'variable' }, qDefinition: p.qDefinition ?? '', qComment: p.qComment ?? '' };
  return { id, name: p.qName, definition: p.qDefinition ?? '', comment: p.qComment ?? '', scriptCreated: false, reserved: false, properties };
}

/** A stored entry (already validated when written; re-checked, since the file is outside the session). */
export function storedVariable(raw: Record<string, unknown>): Variable | null {
  try {
    const info = raw['qInfo'];
    const id = typeof info === 'object' && info !== null ? (info as Record<string, unknown>)['qId'] : undefined;
    return typeof id === 'string' && id !== '' ? readVariableProperties(raw, Number.MAX_SAFE_INTEGER, id) : null;
  } catch {
    return null;
  }
}

export function scriptVariable(name: string, text: string): Variable {
  const id = `script:${name}`;
  return {
    id,
    name,
    definition: text,
    comment: '',
    scriptCreated: true,
    reserved: RESERVED.has(name.toLowerCase()),
    properties: { qInfo: { qId: id, qType: 'variable' }, qMetaDef: {}, qName: name, qComment: '', qIncludeInBookmark: false, qDefinition: text },
  };
}

/** The app's variables at one moment: persisted ones first, then the script's (a clash keeps the persisted one). */
export class VariableBook {
  private readonly byName = new Map<string, Variable>();
  private readonly byId = new Map<string, Variable>();

  constructor(stored: readonly Record<string, unknown>[], script: Readonly<Record<string, string>>) {
    for (const raw of stored) {
      const v = storedVariable(raw);
      if (v !== null && !this.byName.has(v.name) && !this.byId.has(v.id)) this.add(v);
    }
    for (const [name, text] of Object.entries(script)) if (!this.byName.has(name)) this.add(scriptVariable(name, text));
  }

  private add(v: Variable): void {
    this.byName.set(v.name, v);
    this.byId.set(v.id, v);
  }

  byIdOf(id: string): Variable | undefined {
    return this.byId.get(id);
  }

  byNameOf(name: string): Variable | undefined {
    return this.byName.get(name);
  }

  all(): Variable[] {
    return [...this.byId.values()];
  }
}
