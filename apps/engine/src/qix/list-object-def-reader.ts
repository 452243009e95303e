import type { HyperCubePage } from '@trustzone/data-model';
import { checkStateName, optionalRecord, readFieldDef, readFieldLabel, readPages, refuseLibraryId } from './def-readers';
import { invalid, isRecord } from './method-args';

/** A qListObjectDef: the values of one field with their selection states. */
export interface ListSpec {
  field: string;
  label: string;
  initialPages: HyperCubePage[];
}

const PATH = 'qListObjectDef';

export function readListObjectDef(value: unknown): ListSpec {
  if (!isRecord(value)) throw invalid(PATH, `${PATH} must be an object`);
  checkStateName(value['qStateName'], `${PATH}.qStateName`);
  refuseLibraryId(value, PATH);
  const def = optionalRecord(value['qDef'], `${PATH}.qDef`);
  const field = readFieldDef(def, `${PATH}.qDef`);
  return { field, label: readFieldLabel(def) ?? field, initialPages: readPages(value['qInitialDataFetch'], `${PATH}.qInitialDataFetch`) };
}
