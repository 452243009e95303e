import { QixError, QixErrorCode } from './qix.error';

/**
 * Parameters of one call, positional, in the order of the method's schema. Clients may send them as
 * an array or as an object keyed by the schema's names; both end up here. `null` counts as absent
 * (a client serialising `undefined` inside an array sends `null`). Every reader fails with
 * INVALID_PARAMETERS naming the parameter, never with a data value.
 */
export class MethodArgs {
  private constructor(
    private readonly values: readonly unknown[],
    private readonly names: readonly string[],
  ) {}

  static bind(params: unknown[] | Record<string, unknown>, names: readonly string[]): MethodArgs {
    if (Array.isArray(params)) {
      if (params.length > names.length) throw invalid('params', `at most ${names.length} parameters`);
      return new MethodArgs(params, names);
    }
    const unknownKey = Object.keys(params).find((k) => !names.includes(k));
    if (unknownKey !== undefined) throw invalid('params', `unknown parameter ${clipName(unknownKey)}`);
    return new MethodArgs(
      names.map((n) => (Object.hasOwn(params, n) ? params[n] : undefined)),
      names,
    );
  }

  has(i: number): boolean {
    return this.raw(i) !== undefined;
  }

  string(i: number, maxLength = 10_000): string {
    const v = this.raw(i);
    if (typeof v !== 'string' || v.length > maxLength) throw invalid(this.name(i), `${this.name(i)} must be a string of at most ${maxLength} characters`);
    return v;
  }

  optionalString(i: number, maxLength = 10_000): string | undefined {
    return this.has(i) ? this.string(i, maxLength) : undefined;
  }

  integer(i: number, fallback?: number): number {
    const v = this.raw(i) ?? fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalid(this.name(i), `${this.name(i)} must be an integer`);
    return v;
  }

  /** A finite number (JSON has no NaN or Infinity; a string is not a number). */
  number(i: number): number {
    const v = this.raw(i);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(this.name(i), `${this.name(i)} must be a finite number`);
    return v;
  }

  boolean(i: number, fallback: boolean): boolean {
    const v = this.raw(i) ?? fallback;
    if (typeof v !== 'boolean') throw invalid(this.name(i), `${this.name(i)} must be a boolean`);
    return v;
  }

  object(i: number): Record<string, unknown> {
    const v = this.raw(i);
    if (!isRecord(v)) throw invalid(this.name(i), `${this.name(i)} must be an object`);
    return v;
  }

  array(i: number, maxLength: number): unknown[] {
    const v = this.raw(i);
    if (!Array.isArray(v) || v.length > maxLength) throw invalid(this.name(i), `${this.name(i)} must be an array of at most ${maxLength} items`);
    return v;
  }

  private raw(i: number): unknown {
    const v = this.values[i];
    return v === null ? undefined : v;
  }

  private name(i: number): string {
    return this.names[i] ?? `parameter ${i}`;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function invalid(parameter: string, message: string): QixError {
  return new QixError(QixErrorCode.INVALID_PARAMETERS, message, { parameter });
}

function clipName(name: string): string {
  return name.length > 64 ? `${name.slice(0, 64)}…` : name;
}
