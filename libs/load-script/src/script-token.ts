import type { SourcePosition } from './load-script.error';

/**
 * Token kinds of the load-script subset.
 * - `ident`: bare name or keyword (keywords are recognised by the parser, case-insensitively)
 * - `quoted`: `"Field Name"`, always a name
 * - `bracket`: raw text between `[` and `]`; a name, a `lib://` path or inline data depending on
 *   where it appears, so the lexer keeps it verbatim (no comment stripping inside)
 * - `string`: `'text'` with `''` as an escaped quote
 */
export type TokenKind = 'ident' | 'quoted' | 'bracket' | 'string' | 'number' | 'op' | 'eof';

export interface Token extends SourcePosition {
  kind: TokenKind;
  /** Decoded value: name, string content, number text, operator symbol, bracket content. */
  text: string;
  /** Offsets into the lexed text: [start, end). */
  start: number;
  end: number;
  /** Position of the first character inside a bracket token (for inline-data error positions). */
  inner?: SourcePosition;
}

export const OPERATORS = ['<>', '<=', '>=', '&', '+', '-', '*', '/', '=', '<', '>', '(', ')', ',', ';', ':'] as const;
