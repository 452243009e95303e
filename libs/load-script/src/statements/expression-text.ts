import { ExpressionParser } from '../expression-parser';
import type { Expression } from '../script-ast';
import { tokenize } from '../script-lexer';
import type { Locate } from '../script/source-text';
import { describe, TokenStream } from '../token-stream';

/** A whole text as one expression (`$(=…)`), positions mapped through `locate`. */
export function parseExpressionText(text: string, locate: Locate, maxDepth: number): Expression {
  const ts = new TokenStream(tokenize(text, locate), text);
  const expr = new ExpressionParser(ts, maxDepth).parse();
  if (ts.peek().kind !== 'eof') ts.fail(ts.peek(), `unexpected ${describe(ts.peek())} after the expression`);
  return expr;
}
