/**
 * The format specification of a `LOAD … FROM` file (the parenthesised part after the path), as
 * parsed by `load-options.parser.ts`. Kept apart from `script-ast.ts` so the file formats can grow
 * without touching the statement grammar.
 */
export type FileFormat = { type: 'csv'; delimiter: string; msq: boolean } | { type: 'json' };
