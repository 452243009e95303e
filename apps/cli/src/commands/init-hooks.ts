import { type InitializedSite } from '@trustzone/trust';
import { type CommandContext } from '../command';

export interface InitHookSite extends InitializedSite {
  /** True when `--force` replaced an existing site: hooks decide what to do with old data. */
  force: boolean;
}

/**
 * Extension point of `tz init`: runs in order, after site.json and every certificate are written
 * (the repository seeds its database here). A throwing hook fails `tz init` with its message; the
 * certificates stay, so fix the cause and rerun with --force.
 */
export type InitHook = (site: InitHookSite, ctx: CommandContext) => Promise<void>;

export const initHooks: InitHook[] = [];
