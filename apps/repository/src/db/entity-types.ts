/** Fields every repository entity carries (the /qrs common fields). */
export interface EntityMeta {
  id: string;
  createdDate: Date;
  /** Changes on every update; send it back with the next update (optimistic concurrency). */
  modifiedDate: Date;
  modifiedByUserName: string;
}

/** How an owner is shown on other entities (`owner` in /qrs: `{id, userId, userDirectory, name}`). */
export interface UserRef {
  id: string;
  userId: string;
  userDirectory: string;
  name: string;
}

/** A named reference (stream of an app, app of an object, tag, server node). */
export interface NamedRef {
  id: string;
  name: string;
}

/** One custom property value on an entity; a property may have several values. */
export interface CustomPropertyValue {
  definitionId: string;
  /** The definition's name: what rules read as `resource.@<name>`. */
  name: string;
  value: string;
}

export interface CustomPropertyValueInput {
  definitionId: string;
  value: string;
}

/** Resource types that carry custom properties and tags (the rules' `resource.resourcetype` names). */
export const LINKABLE_TYPES = ['User', 'App', 'App.Object', 'Stream', 'DataConnection'] as const;
export type LinkableType = (typeof LINKABLE_TYPES)[number];

export interface ListOptions {
  /** Only these ids (unknown ids are skipped, not an error). */
  ids?: readonly string[];
  skip?: number;
  take?: number;
}

/**
 * The operations every entity store offers. `update` applies a partial patch (fields left out keep
 * their value; a list given replaces the list) only when `modifiedDate` equals the stored one, else
 * it throws Conflict and writes nothing. `create` may be given an `id` (seeding well-known ids).
 */
export interface EntityStore<TRecord, TInput> {
  create(input: TInput & { id?: string }, modifiedByUserName: string): Promise<TRecord>;
  /** Throws NotFound. */
  get(id: string): Promise<TRecord>;
  find(id: string): Promise<TRecord | null>;
  /** Ordered by createdDate, then id: the same order on both providers. */
  list(options?: ListOptions): Promise<TRecord[]>;
  count(): Promise<number>;
  update(id: string, modifiedDate: Date, patch: Partial<TInput>, modifiedByUserName: string): Promise<TRecord>;
  /** Throws NotFound, or InUse while other entities reference it. */
  delete(id: string): Promise<void>;
}
