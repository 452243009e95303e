import { type HyperCubePage, MAX_DIMENSIONS, MAX_MEASURES, type SortSpec } from '@trustzone/data-model';
import { checkStateName, optionalRecord, readArray, readFieldDef, readFieldLabel, readPages, refuseLibraryId } from './def-readers';
import { invalid, isRecord } from './method-args';
import { QixError, QixErrorCode } from './qix.error';

/** A qHyperCubeDef reduced to what the associative engine computes. */
export interface CubeSpec {
  /** `total`: the label of the dimension's total node in a pivot (qOtherTotalSpec.qTotalMode TOTAL_EXPR), if shown. */
  dimensions: { field: string; label: string; total?: string }[];
  measures: { expression: string; label: string }[];
  initialPages: HyperCubePage[];
  /** Explicit sort keys (empty: the engine's default, every dimension ascending). */
  sort: SortSpec[];
  /** Column order reported as qEffectiveInterColumnSortOrder. */
  effectiveSortOrder: number[];
  /** qSuppressZero: rows whose measures are all zero or null are left out. */
  suppressZero: boolean;
  /** qMode: straight table or pivot (every node expanded, no subtotals). */
  mode: 'S' | 'P';
  /** qNoOfLeftDims (pivot): -1 = every dimension on the left. */
  noOfLeftDims: number;
  /** Pivot options: qAlwaysFullyExpanded, qShowTotalsAbove, qIndentMode. */
  pivot: { alwaysFullyExpanded: boolean; showTotalsAbove: boolean; indent: boolean };
}

const PATH = 'qHyperCubeDef';

/**
 * Read a straight-table hypercube definition (qMode 'S'). Dimensions are single fields; measures are
 * expressions of the data-model's measure language (a leading `=` is allowed, as clients send it).
 * Pivot/stacked modes and field groups are refused rather than approximated; a dimension may be a
 * calculated one (`=expr` over the fields of one table).
 */
export function readHyperCubeDef(value: unknown): CubeSpec {
  if (!isRecord(value)) throw invalid(PATH, `${PATH} must be an object`);
  const mode = value['qMode'];
  if (mode !== undefined && mode !== 'S' && mode !== 'P') throw invalid(`${PATH}.qMode`, 'only straight (qMode "S") and pivot (qMode "P") hypercubes are supported');
  const left = value['qNoOfLeftDims'];
  if (left !== undefined && (typeof left !== 'number' || !Number.isSafeInteger(left) || left < -1)) throw invalid(`${PATH}.qNoOfLeftDims`, `${PATH}.qNoOfLeftDims must be an integer of at least -1`);
  checkStateName(value['qStateName'], `${PATH}.qStateName`);
  const directions: boolean[] = [];
  const dimensions = readArray(value['qDimensions'], `${PATH}.qDimensions`, MAX_DIMENSIONS).map((d, i) => {
    const path = `${PATH}.qDimensions[${i}]`;
    if (!isRecord(d)) throw invalid(path, `${path} must be an object`);
    refuseLibraryId(d, path);
    const def = optionalRecord(d['qDef'], `${path}.qDef`);
    const field = calculated(def) ?? readFieldDef(def, `${path}.qDef`);
    const criteria = Array.isArray(def['qSortCriterias']) && isRecord(def['qSortCriterias'][0]) ? def['qSortCriterias'][0] : {};
    directions.push(def['qReverseSort'] === true || criteria['qSortByNumeric'] === -1 || criteria['qSortByAscii'] === -1);
    const total = pivotTotal(d, path);
    return { field, label: readFieldLabel(def) ?? field, ...(total === null ? {} : { total }) };
  });
  const measures = readArray(value['qMeasures'], `${PATH}.qMeasures`, MAX_MEASURES).map((m, i) => {
    const path = `${PATH}.qMeasures[${i}]`;
    if (!isRecord(m)) throw invalid(path, `${path} must be an object`);
    refuseLibraryId(m, path);
    const def = optionalRecord(m['qDef'], `${path}.qDef`);
    const raw = def['qDef'];
    if (typeof raw !== 'string') throw new QixError(QixErrorCode.CALC_INVALID_DEF, `${path}.qDef.qDef must be an expression`, { parameter: `${path}.qDef.qDef` });
    const expression = raw.trim().replace(/^=/, '');
    const sortBy = optionalRecord(m['qSortBy'], `${path}.qSortBy`);
    directions.push(def['qReverseSort'] === true || sortBy['qSortByNumeric'] === -1);
    const label = typeof def['qLabel'] === 'string' && def['qLabel'] !== '' ? def['qLabel'] : expression;
    return { expression, label };
  });
  const width = dimensions.length + measures.length;
  const order = readSortOrder(value['qInterColumnSortOrder'], width);
  const explicit = order.length > 0 || directions.some(Boolean);
  const effective = order.length > 0 ? order : [...Array(width).keys()];
  return {
    dimensions,
    measures,
    initialPages: readPages(value['qInitialDataFetch'], `${PATH}.qInitialDataFetch`),
    sort: explicit ? effective.map((column) => ({ column, descending: directions[column] === true })) : [],
    effectiveSortOrder: effective,
    suppressZero: readFlag(value['qSuppressZero'], `${PATH}.qSuppressZero`),
    mode: mode === 'P' ? 'P' : 'S',
    noOfLeftDims: typeof left === 'number' ? left : -1,
    pivot: {
      alwaysFullyExpanded: readFlag(value['qAlwaysFullyExpanded'], `${PATH}.qAlwaysFullyExpanded`),
      showTotalsAbove: readFlag(value['qShowTotalsAbove'], `${PATH}.qShowTotalsAbove`),
      indent: readFlag(value['qIndentMode'], `${PATH}.qIndentMode`),
    },
  };
}

/** A dimension's pivot total: shown when qOtherTotalSpec.qTotalMode is TOTAL_EXPR; labelled by qTotalLabel (default "Totals"). */
function pivotTotal(d: Record<string, unknown>, path: string): string | null {
  const spec = optionalRecord(d['qOtherTotalSpec'], `${path}.qOtherTotalSpec`);
  const mode = spec['qTotalMode'];
  if (mode !== undefined && mode !== 'TOTAL_OFF' && mode !== 'TOTAL_EXPR') throw invalid(`${path}.qOtherTotalSpec.qTotalMode`, 'qTotalMode is TOTAL_OFF or TOTAL_EXPR');
  if (mode !== 'TOTAL_EXPR') return null;
  const raw = d['qTotalLabel'];
  const label = typeof raw === 'string' ? raw : isRecord(raw) && typeof raw['qv'] === 'string' ? raw['qv'] : '';
  return label === '' ? 'Totals' : label.slice(0, 1000);
}

/** A calculated dimension (`=expr`): kept as its expression; the data model evaluates it per record. */
function calculated(def: Record<string, unknown>): string | null {
  const defs = def['qFieldDefs'];
  if (!Array.isArray(defs) || defs.length !== 1 || typeof defs[0] !== 'string') return null;
  const text = defs[0].trim();
  return text.startsWith('=') ? text : null;
}

function readSortOrder(value: unknown, width: number): number[] {
  const path = `${PATH}.qInterColumnSortOrder`;
  const seen = new Set<number>();
  return readArray(value, path, width).map((c) => {
    if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0 || c >= width || seen.has(c)) {
      throw invalid(path, `${path} must list distinct column indexes below ${width}`);
    }
    seen.add(c);
    return c;
  });
}

function readFlag(value: unknown, path: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalid(path, `${path} must be a boolean`);
  return value;
}
