/**
 * How a name written in the access section finds the data-model field it means. Every check of an
 * access-section name (load-script's end-of-reload check, the engine's validation of a reload
 * result, the reduction at app open) goes through these functions, so they cannot disagree.
 *
 * Qlik upper-cases every field name and value of the access section when it loads it ("Managing
 * data security with Section Access": field names and values listed in section access are always
 * converted to upper case), and treats what it loads there as case-insensitive ("Force": the
 * statement has no effect in the access section, "all field values loaded are case insensitive").
 * From that:
 *  - a reduction column links to the data-model field of exactly its upper-case name; Qlik asks app
 *    authors to upper-case reduction fields (and their values) in the data model for this reason;
 *  - an OMIT value names a field whatever the field's case: `OMIT Salary` (loaded as `SALARY`)
 *    hides `Salary`. When the model has several spellings of one name (`Salary` and `SALARY`), all
 *    of them are hidden: the access section cannot tell them apart, so we hide more, never less.
 *
 * Where trustzone differs from Qlik (docs/threat-model.md): a reduction column or OMIT value that
 * resolves to no field is an error that fails the reload (and refuses the app at open time until a
 * reload fixes it), where Qlik silently ignores it — a typo there would otherwise leave the field
 * the author meant to hide fully visible.
 */

/** The access section's form of a field name (as the loader stores it). */
export const accessName = (name: string): string => name.trim().toUpperCase();

/** The field a reduction column links to: exactly its (upper-case) name, or null. */
export function reductionFieldName(column: string, fieldNames: Iterable<string>): string | null {
  const wanted = accessName(column);
  for (const f of fieldNames) if (f === wanted) return f;
  return null;
}

/** Every field an OMIT value hides: the fields whose upper-cased name equals it (empty: none). */
export function omitFieldNames(value: string, fieldNames: Iterable<string>): string[] {
  const wanted = accessName(value);
  const out: string[] = [];
  for (const f of fieldNames) if (accessName(f) === wanted) out.push(f);
  return out;
}

/** Why a reduction column resolves to nothing; names a field that differs only in case. */
export function unknownReductionMessage(column: string, fieldNames: Iterable<string>): string {
  const name = accessName(column);
  const variants = omitFieldNames(name, fieldNames);
  const base = `Section Access column "${name}" is not a system column (ACCESS, USERID, GROUP, OMIT) and names no field of the data model`;
  if (variants.length === 0) return `${base}; reduction fields must match an upper-case data-model field exactly`;
  return `${base}: the access section is upper case, so it cannot link to ${variants.map((v) => `"${v}"`).join(', ')}; ` +
    `load that field as ${name} (e.g. \`Upper(${variants[0]}) AS ${name}\`)`;
}

/** Why an OMIT value resolves to nothing. */
export function unknownOmitMessage(value: string): string {
  return `Section Access OMIT names "${accessName(value)}", which is no field of the data model (compared without regard to case); ` +
    'remove the value or name an existing field';
}
