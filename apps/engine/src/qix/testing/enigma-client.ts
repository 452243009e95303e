import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { TEST_USER_HEADER } from './qix-test-server';

/**
 * The real enigma.js, typed for the calls the tests make (its generated API is untyped). enigma.js
 * builds these methods from the schema file, so a method or parameter order we got wrong shows up
 * as a failing call, not as a type error here.
 */
const require = createRequire(import.meta.url);

export interface QixCellT { qText: string; qNum: number | 'NaN'; qElemNumber: number; qState: string }
export interface DataPageT { qMatrix: QixCellT[][]; qArea: { qLeft: number; qTop: number; qWidth: number; qHeight: number } }
export interface PageT { qTop: number; qLeft: number; qHeight: number; qWidth: number }

export interface EnigmaObject {
  id: string;
  handle: number;
  type: string;
  on(event: 'changed' | 'closed', fn: () => void): void;
}

export interface EnigmaGlobal extends EnigmaObject {
  openDoc(appId: string): Promise<EnigmaDoc>;
  getActiveDoc(): Promise<EnigmaDoc>;
  engineVersion(): Promise<{ qComponentVersion: string }>;
  productVersion(): Promise<string>;
  getAuthenticatedUser(): Promise<string>;
  getDocList(): Promise<{ qDocId: string; qTitle: string }[]>;
}

export interface TableRecordT { qName: string; qNoOfRows: number; qFields: { qName: string; qnRows: number; qnTotalDistinctValues: number; qKeyType: string }[] }

export interface EnigmaDoc extends EnigmaObject {
  getTablesAndKeys(w: object, n: object, cellHeight: number, synthetic: boolean, sysVars: boolean): Promise<{ qtr: TableRecordT[]; qk: { qKeyFields: string[]; qTables: string[] }[] }>;
  getFieldDescription(name: string): Promise<{ qName: string; qSrcTables: string[]; qCardinal: number; qTotalCount: number; qIsNumeric: boolean; qTags: string[] }>;
  getField(name: string): Promise<EnigmaField>;
  createSessionObject(props: object): Promise<EnigmaGenericObject>;
  destroySessionObject(id: string): Promise<boolean>;
  getObject(id: string): Promise<EnigmaGenericObject>;
  clearAll(): Promise<unknown>;
  getTableData(offset: number, rows: number, synthetic: boolean, table: string): Promise<{ qValue: { qText: string; qNumber: number | 'NaN'; qIsNumeric: boolean }[] }[]>;
  evaluate(expression: string): Promise<string>;
  evaluateEx(expression: string): Promise<{ qText: string; qNumber: number | 'NaN'; qIsNumeric: boolean }>;
}

export interface EnigmaGenericObject extends EnigmaObject {
  genericType: string;
  getLayout(): Promise<Record<string, unknown> & { qHyperCube?: HyperCubeLayoutT; qListObject?: { qSize: { qcx: number; qcy: number }; qDataPages: DataPageT[] } }>;
  getProperties(): Promise<Record<string, unknown>>;
  getHyperCubeData(path: string, pages: PageT[]): Promise<DataPageT[]>;
  getListObjectData(path: string, pages: PageT[]): Promise<DataPageT[]>;
  selectHyperCubeValues(path: string, dimNo: number, values: number[], toggle: boolean): Promise<boolean>;
  selectListObjectValues(path: string, values: number[], toggle: boolean): Promise<boolean>;
}

export interface HyperCubeLayoutT {
  qSize: { qcx: number; qcy: number };
  qDimensionInfo: { qFallbackTitle: string; qCardinal: number }[];
  qMeasureInfo: { qFallbackTitle: string; qMin: number | 'NaN'; qMax: number | 'NaN' }[];
  qGrandTotalRow: QixCellT[];
  qDataPages: DataPageT[];
}

export interface EnigmaField extends EnigmaObject {
  selectValues(values: ({ qText: string } | { qNumber: number; qIsNumeric: true })[], toggle?: boolean): Promise<boolean>;
  select(match: string): Promise<boolean>;
  toggleSelect(match: string): Promise<boolean>;
  clear(): Promise<boolean>;
  getCardinal(): Promise<number>;
}

export interface EnigmaSession {
  open(): Promise<EnigmaGlobal>;
  close(): Promise<void>;
  on(event: string, fn: (data: unknown) => void): void;
}

interface EnigmaModule {
  create(config: { schema: object; url: string; createSocket: (url: string) => unknown; protocol?: { delta?: boolean } }): EnigmaSession;
}

/** The newest schema enigma.js ships (by numeric version), as the reference asks clients to use. */
export function newestSchemaVersion(): string {
  const dir = join(dirname(require.resolve('enigma.js/package.json')), 'schemas');
  const versions = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));
  const key = (v: string) => v.split('.').map(Number);
  versions.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
  return versions.at(-1)!;
}

export function loadSchema(): { structs: Record<string, Record<string, { In: { Name: string }[]; Out: { Name: string }[] }>> } {
  return require(`enigma.js/schemas/${newestSchemaVersion()}.json`);
}

/** An enigma.js session as `DIR\user` (delta protocol on, as enigma.js defaults). */
export function enigmaSession(url: string, user: string): EnigmaSession {
  const enigma = require('enigma.js') as EnigmaModule;
  return enigma.create({ schema: loadSchema(), url, createSocket: (u) => new WebSocket(u, { headers: { [TEST_USER_HEADER]: user } }) });
}
