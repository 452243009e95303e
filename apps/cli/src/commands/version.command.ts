import { type Command } from '../command';

/**
 * The version of the build: tools/build.mjs writes package.json's version into the bundle, so an
 * image answers `tz --version` without shipping package.json (the runtime image has no manifests).
 */
export function buildVersion(): string {
  return process.env['TZ_BUILD_VERSION'] ?? 'unknown (not a built bundle)';
}

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the version of this build (also: tz --version)',
  usage: 'tz version',
  async run(_argv, ctx) {
    ctx.out(`tz ${buildVersion()}`);
    return 0;
  },
};
