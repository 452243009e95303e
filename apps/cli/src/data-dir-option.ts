import { resolveDataDir } from '@trustzone/trust';
import { type CommandContext } from './command';

/** Every command that touches a site takes `--data-dir` (> TZ_DATA_DIR > ./.trustzone). */
export const DATA_DIR_OPTION = { 'data-dir': { type: 'string' } } as const;
export const DATA_DIR_USAGE = '--data-dir DIR   site data directory (default: $TZ_DATA_DIR, else ./.trustzone)';

export function dataDirFrom(values: { 'data-dir'?: string | undefined }, ctx: CommandContext): string {
  return resolveDataDir(values['data-dir'], ctx.env, ctx.cwd);
}
