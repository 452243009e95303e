import type { HyperCubePage } from '@trustzone/data-model';
import { checkStateName, optionalRecord, readFieldDef, readFieldLabel, readPages, refuseLibraryId } from './def-readers';
import { invalid, isRecord } from './method-args';

/** A qListObjectDef: the values of one field with their selection states. */
export interface ListSpec {
  field: string;
  label: string;
  initialPages: HyperCubePage[];
  /** qFrequencyMode: none, the count of rows per value, or its share of the rows in percent. */
  frequency: 'N' | 'V' | 'P';
}

const FREQUENCY: Readonly<Record<string, 'N' | 'V' | 'P'>> = { N: 'N', NX_FREQUENCY_NONE: 'N', V: 'V', NX_FREQUENCY_VALUE: 'V', P: 'P', NX_FREQUENCY_PERCENT: 'P' };

const PATH = 'qListObjectDef';

export function readListObjectDef(value: unknown): ListSpec {
  if (!isRecord(value)) throw invalid(PATH, `${PATH} must be an object`);
  checkStateName(value['qStateName'], `${PATH}.qStateName`);
  refuseLibraryId(value, PATH);
  const def = optionalRecord(value['qDef'], `${PATH}.qDef`);
  const field = readFieldDef(def, `${PATH}.qDef`);
  const mode = value['qFrequencyMode'];
  // Relative frequency (R) is refused rather than approximated.
  const frequency = mode === undefined || mode === null ? 'N' : typeof mode === 'string' ? FREQUENCY[mode] : undefined;
  if (frequency === undefined) throw invalid(`${PATH}.qFrequencyMode`, `${PATH}.qFrequencyMode must be N, V or P`);
  return { field, label: readFieldLabel(def) ?? field, initialPages: readPages(value['qInitialDataFetch'], `${PATH}.qInitialDataFetch`), frequency };
}
