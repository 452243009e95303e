import type { CallExpr } from '../condition/condition-ast';
import { actionBit } from '../model/action-bits';
import { RulesErrorCode } from '../rules.error';
import type { CompiledNode } from './compiled-node';
import type { DiagnosticSink } from './node-builders';
import { failed, isUserPath, node } from './node-builders';
import { view } from './operand-view';
import { resolvePath } from './property-path';
import { isMissing } from './value-compare';

/** HasPrivilege costs a nested decision: weigh it so cheap rules are tried first. */
const HAS_PRIVILEGE_COST = 20;

/**
 * Functions (names case-insensitive; the parser canonicalised the spelling):
 *   <resource path>.HasPrivilege("action")  recursive decision on the related resource
 *   user.IsAnonymous()                      the requesting user is anonymous
 *   <any path>.Empty()                      no value / no related resource
 *   <resource path>.IsOwned()               the resource has an owner
 * A related resource that is missing makes HasPrivilege and IsOwned false (an unpublished app has
 * no stream, so `resource.stream.HasPrivilege("read")` is false for it).
 */
export function compileCall(expr: CallExpr, sink: DiagnosticSink): CompiledNode {
  const target = resolvePath(expr.target.segments);
  const views = [view(expr.target, target)];
  const meta = { userOnly: isUserPath(expr.target.segments) };
  if (target.kind === 'error') return failed(expr, sink, expr.target.pos, target.code, target.message, views);
  const where = `${expr.target.segments.join('.')}.${expr.name}()`;
  const arity = expr.name === 'HasPrivilege' ? 1 : 0;
  if (expr.args.length !== arity && ['HasPrivilege', 'IsAnonymous', 'Empty', 'IsOwned'].includes(expr.name)) {
    return failed(expr, sink, expr.pos, RulesErrorCode.BAD_ARGUMENT, `${expr.name} takes ${arity} argument(s)`);
  }
  switch (expr.name) {
    case 'Empty':
      if (target.kind === 'values') {
        const get = target.get;
        return node(expr, (s) => isMissing(get(s)), [], 1, views, meta);
      }
      if (target.kind === 'user') return node(expr, () => false, [], 1, views, meta);
      {
        const get = target.get;
        return node(expr, (s) => get(s) == null, [], 1, views);
      }
    case 'IsAnonymous':
      if (target.kind !== 'user') break;
      return node(expr, (s) => s.user.raw.anonymous === true, [], 1, views, meta);
    case 'IsOwned':
      if (target.kind !== 'resource') break;
      {
        const get = target.get;
        return node(expr, (s) => get(s)?.owner != null, [], 1, views);
      }
    case 'HasPrivilege': {
      if (target.kind !== 'resource') break;
      const actionName = (expr.args[0] as { value: string }).value;
      const bit = actionBit(actionName);
      if (bit === undefined) return failed(expr, sink, expr.pos, RulesErrorCode.BAD_ARGUMENT, `unknown action '${actionName}' in ${where}`);
      const get = target.get;
      return node(
        expr,
        (s) => {
          const related = get(s);
          return related != null && s.oracle.hasPrivilege(related, bit);
        },
        [],
        HAS_PRIVILEGE_COST,
        views,
      );
    }
    default:
      return failed(expr, sink, expr.pos, RulesErrorCode.UNKNOWN_FUNCTION, `unknown function '${expr.name}'`);
  }
  return failed(expr, sink, expr.pos, RulesErrorCode.UNKNOWN_FUNCTION, `${expr.name}() is not defined on '${expr.target.segments.join('.')}'`);
}
