import { DataModelError, DataModelErrorCode } from './data-model.error';
import type { DataModel } from './model-types';
import type { View } from './view';

/**
 * Field id of a name the session may use. A field hidden by OMIT gets the very same error as a
 * field that does not exist, so a reduced user cannot probe which fields are omitted for them.
 */
export function resolveField(model: DataModel, view: View, name: string): number {
  const id = typeof name === 'string' ? model.fieldByName.get(name) : undefined;
  if (id === undefined || view.omitted.has(name)) throw fieldNotFound(name);
  return id;
}

export function resolveTable(model: DataModel, name: string): number {
  const id = typeof name === 'string' ? model.tableByName.get(name) : undefined;
  if (id === undefined) throw new DataModelError(DataModelErrorCode.NOT_FOUND, `Table not found: ${clip(name)}`);
  return id;
}

export function fieldNotFound(name: unknown): DataModelError {
  return new DataModelError(DataModelErrorCode.NOT_FOUND, `Field not found: ${clip(name)}`);
}

/** Echo caller input in messages, but never unbounded. */
export function clip(value: unknown): string {
  const s = typeof value === 'string' ? value : String(value);
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}
