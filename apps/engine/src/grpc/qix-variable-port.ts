import type { AssertedUser } from '@trustzone/contracts';
import type { AppLibrary } from '../apps/app-library';
import type { VariablePort } from '../qix';
import type { AppScriptService } from '../scripts/app-script-service';
import { relay } from './qix-script-port';

/**
 * Persisted variables for one QIX session's user (hub context). Reading needs nothing beyond the
 * open app (the session already passed the rules and section access to open it); every change asks
 * the repository (Update on the app) and refuses a reduced user first, then writes the app file
 * under its lock and is audited.
 */
export function qixVariablePort(library: AppLibrary, scripts: AppScriptService, user: AssertedUser): VariablePort {
  return {
    list: (appId) => library.variables(appId),
    update: (appId, change) =>
      relay(async () => {
        await scripts.authorizeVariableWrite(appId, user);
        let before = 0;
        const next = await library.updateVariables(appId, (current) => {
          before = current.length;
          return change(current);
        });
        await scripts.recordVariableWrite(appId, user, { before, after: next.length });
        return next;
      }),
  };
}
