import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCompose, type ComposeFile } from './compose/compose-file';
import { parseEnvFile, type ComposeVars } from './compose/compose-interpolate';
import { parseDockerfile, type Dockerfile } from './dockerfile/dockerfile-parser';

/** The checkout these tests check: the files operators deploy with, read as they are. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const COMPOSE_PATH = resolve(REPO_ROOT, 'docker-compose.yml');
export const SCALE_ENV_PATH = resolve(REPO_ROOT, 'docker', 'scale.env');

export const readRepoFile = (path: string): string => readFileSync(resolve(REPO_ROOT, path), 'utf8');

/** docker-compose.yml interpolated with `vars` (none: every default applies). */
export function loadCompose(vars: ComposeVars = {}): ComposeFile {
  return parseCompose(readFileSync(COMPOSE_PATH, 'utf8'), vars);
}

/** The variables of `docker compose --env-file docker/scale.env`. */
export function scaleVars(): Record<string, string> {
  return parseEnvFile(readFileSync(SCALE_ENV_PATH, 'utf8'));
}

/** The Dockerfile a compose service builds from (relative to the build context, the repository root). */
export function loadDockerfile(path = 'docker/Dockerfile'): Dockerfile {
  return parseDockerfile(readRepoFile(path));
}
