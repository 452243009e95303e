import type { RequestContext, User, Values } from '../model/subject';
import { CONTEXT_ATTRIBUTE } from '../model/subject';
import { RulesError, RulesErrorCode } from '../rules.error';

/**
 * The requesting user resolved once per request: identity key, validated shape and a lower-cased
 * environment map. `environment.context` always comes from the request context — a session
 * attribute named "context" (a JWT claim, a header) must not be able to claim management access.
 */
export class PreparedUser {
  readonly identity: string;
  private env: Map<string, readonly string[]> | undefined;

  constructor(
    readonly raw: User,
    readonly context: RequestContext,
    private readonly simulated: Values | undefined = undefined,
  ) {
    if (raw === null || typeof raw !== 'object') invalid('user must be an object');
    if (typeof raw.userId !== 'string' || typeof raw.userDirectory !== 'string') invalid('user.userId and user.userDirectory must be strings');
    if (typeof raw.anonymous !== 'boolean') invalid('user.anonymous must be a boolean');
    if (!Array.isArray(raw.groups) || !Array.isArray(raw.roles)) invalid('user.groups and user.roles must be arrays');
    this.identity = userIdentity(raw.userDirectory, raw.userId);
  }

  /** Session attribute by case-insensitive name (claims and headers arrive in any case). */
  environment(lowerName: string): readonly string[] | undefined {
    if (this.env === undefined) this.env = this.buildEnvironment();
    return this.env.get(lowerName);
  }

  private buildEnvironment(): Map<string, readonly string[]> {
    const env = new Map<string, readonly string[]>();
    for (const source of [this.raw.environment, this.simulated]) {
      if (source === null || source === undefined) continue;
      if (typeof source !== 'object') invalid('user.environment must be an object');
      for (const [key, value] of Object.entries(source)) {
        if (!Array.isArray(value)) invalid(`environment attribute '${key}' must be a list of strings`);
        env.set(key.toLowerCase(), value);
      }
    }
    env.set('context', [CONTEXT_ATTRIBUTE[this.context]]);
    return env;
  }
}

/** Users are the same principal when directory and user id match (case-insensitively, as Qlik). */
export function userIdentity(userDirectory: string, userId: string): string {
  return `u\u0000${userDirectory.toLowerCase()}\\${userId.toLowerCase()}`;
}

function invalid(message: string): never {
  throw new RulesError(RulesErrorCode.INVALID_INPUT, message);
}
