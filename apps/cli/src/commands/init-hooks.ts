import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { appAuthKeyPath, createAppAuthKey } from '@trustzone/app-store';
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

const SEED_TIMEOUT_MS = 120_000;

/**
 * The repository bundle of this installation: next to the CLI bundle (dist/apps/cli/ →
 * dist/apps/repository/), under TZ_DIST_DIR, or dist/ of the checkout when run from source.
 */
export function repositoryBundle(env: NodeJS.ProcessEnv): string | undefined {
  const candidates = [
    ...(env['TZ_DIST_DIR'] ? [resolve(env['TZ_DIST_DIR'], 'apps', 'repository', 'main.cjs')] : []),
    resolve(__dirname, '..', 'repository', 'main.cjs'),
    resolve(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'repository', 'main.cjs'),
  ];
  return candidates.find((c) => existsSync(c));
}

/** The message of the repository's one structured error line (or the raw last line). */
function failureOf(stderr: string, code: number | null): string {
  const last = stderr.trim().split('\n').at(-1) ?? '';
  try {
    const parsed = JSON.parse(last) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not a structured line
  }
  return last || `the repository exited with code ${String(code)}`;
}

/**
 * Seeds the site database: runs the repository bundle with --seed-only (migrate, then create the
 * shipped rules, streams, the --admin user as RootAdmin, the default virtual proxy and the central
 * node where missing). The CLI never opens the database itself: the repository is its only writer.
 */
export const seedRepositoryHook: InitHook = async (site, ctx) => {
  const bundle = repositoryBundle(ctx.env);
  if (!bundle) throw new Error('the repository bundle (dist/apps/repository/main.cjs) was not found; build it with npm run build');
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, [bundle, '--seed-only'], { env: { ...ctx.env, TZ_DATA_DIR: site.paths.dataDir }, stdio: ['ignore', 'pipe', 'pipe'], timeout: SEED_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
  if (result.code !== 0) throw new Error(`seeding the database failed: ${failureOf(result.stderr, result.code)}`);
  let created: unknown[] = [];
  try {
    const line = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { created?: unknown };
    if (Array.isArray(line.created)) created = line.created;
  } catch {
    // the seed succeeded (exit 0); its summary is only informative
  }
  ctx.out(`database seeded (${created.length} entities created)`);
};

/**
 * The site's app authentication key (engines authenticate every app file with it; only engines and
 * tz read it). Kept when it exists — also with --force, as the app files written under it stay.
 */
export const appAuthKeyHook: InitHook = async (site, ctx) => {
  const file = appAuthKeyPath(site.paths.keys);
  if (await createAppAuthKey(file)) ctx.out(`app authentication key created: ${file}`);
};

export const initHooks: InitHook[] = [appAuthKeyHook, seedRepositoryHook];
