import type { AssertedUser, CallContext } from '@trustzone/contracts';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import type { User, Values } from '@trustzone/rules';
import { DbErrorCode, identityKey, isDbError, type RepositoryStores, type UserRecord } from '../db';
import type { SiteCache } from '../cache/site-cache';
import { viaDb } from '../errors/db-error.mapper';
import { auditUser, callActor, type RepositoryAudit } from '../audit/repository-audit';
import { customPropertyValues } from './resource-snapshots';

/** The user a call acts for: the stored record (null when anonymous), the rules' view of them, and their name for `modifiedByUserName`. */
export interface Actor {
  asserted: AssertedUser;
  record: UserRecord | null;
  user: User;
  name: string;
}

/** Who the repository writes as when it acts on its own (seeding, first-login creation). */
export const SYSTEM_ACTOR = 'INTERNAL\\sa_repository';

/** user.environment.*: session attributes plus what the proxy observed about the request. */
function environment(a: AssertedUser): Values {
  return { ...a.attributes, ip: a.ip ? [a.ip] : [], secureRequest: [a.secure ? 'true' : 'false'] };
}

/**
 * Resolves the asserted user on every call (directory + id, case-insensitive). A user seen for the
 * first time is created ("users logging in for the first time are created in the repository");
 * anonymous users are never stored. Roles, groups and custom properties come from the database,
 * never from the assertion; session attributes only ever reach rules as `user.environment.*`.
 */
export class ActingUsers {
  private readonly creating = new Map<string, Promise<UserRecord>>();

  constructor(
    private readonly stores: RepositoryStores,
    private readonly cache: SiteCache,
    private readonly audit: RepositoryAudit,
  ) {}

  async resolve(ctx: CallContext): Promise<Actor> {
    const a = ctx.user;
    if (!a) throw new ServiceError(ErrorCode.Unauthenticated, 'this call needs an asserted user');
    const name = auditUser(a).slice(0, 256);
    if (a.anonymous) {
      const user: User = { id: `anonymous:${identityKey(a.userDirectory, a.userId)}`, userId: a.userId, userDirectory: a.userDirectory, name: a.userId, roles: [], groups: [], customProperties: {}, environment: environment(a), anonymous: true };
      return { asserted: a, record: null, user, name };
    }
    await this.cache.load(['User', 'CustomPropertyDefinition']);
    const id = this.cache.userIdByIdentity(a.userDirectory, a.userId);
    const record = (id !== undefined ? this.cache.records('User').get(id) : undefined) ?? (await this.firstSeen(ctx, a));
    if (record.inactive || record.removedExternally) {
      await this.audit.record({ actor: callActor(ctx), action: 'access.denied', outcome: 'denied', target: { type: 'User', id: record.id }, reason: 'the user is inactive or was removed from its directory' });
      throw new ServiceError(ErrorCode.PermissionDenied, 'the user is inactive');
    }
    const user: User = {
      id: record.id,
      userId: record.userId,
      userDirectory: record.userDirectory,
      name: record.name,
      email: record.email,
      roles: record.roles,
      groups: record.groups,
      customProperties: customPropertyValues(this.cache, record.customProperties),
      environment: environment(a),
      anonymous: false,
    };
    return { asserted: a, record, user, name };
  }

  /** One creation per identity even when the first calls arrive together; a lost race reads the winner's row. */
  private firstSeen(ctx: CallContext, a: AssertedUser): Promise<UserRecord> {
    const key = identityKey(a.userDirectory, a.userId);
    let pending = this.creating.get(key);
    if (!pending) {
      pending = this.create(ctx, a).finally(() => this.creating.delete(key));
      this.creating.set(key, pending);
    }
    return pending;
  }

  private async create(ctx: CallContext, a: AssertedUser): Promise<UserRecord> {
    let record: UserRecord;
    try {
      record = await this.stores.users.create({ userDirectory: a.userDirectory, userId: a.userId, name: a.userId }, SYSTEM_ACTOR);
    } catch (e) {
      if (!isDbError(e, DbErrorCode.Duplicate)) return viaDb(() => Promise.reject(e));
      const existing = await viaDb(() => this.stores.users.findByIdentity(a.userDirectory, a.userId));
      if (!existing) throw new ServiceError(ErrorCode.Unavailable, 'the user could not be resolved; retry');
      this.cache.put('User', existing);
      return existing;
    }
    this.cache.put('User', record);
    await this.audit.record({
      actor: callActor(ctx),
      action: 'entity.create',
      outcome: 'success',
      target: { type: 'User', id: record.id },
      reason: 'first login: user created',
      details: { after: record.modifiedDate.toISOString() },
    });
    return record;
  }
}
