import { checkChartExpression, resolveField } from '@trustzone/data-model';
import { CHART_SCALARS } from './chart-functions';
import { expandCube } from './expansion';
import type { DocContext } from './doc-context';
import { type CubeSpec, readHyperCubeDef } from './hypercube-def-reader';
import { type ListSpec, readListObjectDef } from './list-object-def-reader';
import { invalid, isRecord } from './method-args';
import { readVariableListDef, type VariableListSpec } from './variable-list';
import { withLibraryItems } from './objects/library-items';

export type ObjectDef = { kind: 'hypercube'; cube: CubeSpec } | { kind: 'listobject'; list: ListSpec } | { kind: 'variablelist'; list: VariableListSpec } | { kind: 'plain' };

/** A generic object created by CreateSessionObject: it lives and dies with the session. */
export interface SessionObject {
  id: string;
  type: string;
  /** The properties as the client set them (qInfo completed with the assigned id). */
  properties: Record<string, unknown>;
  def: ObjectDef;
}

const MAX_ID_LENGTH = 256;

/**
 * Read and validate generic-object properties against the session's view: every field a dimension,
 * list or measure names must be visible to the user (an OMITted field fails exactly like a missing
 * one) and every measure must parse, so a broken definition fails at creation, not later.
 */
export function readSessionObject(doc: DocContext, original: Record<string, unknown>, maxChars: number, fixedId?: string): SessionObject {
  if (JSON.stringify(original).length > maxChars) throw invalid('qProp', `properties larger than ${maxChars} characters`);
  // Master items (qLibraryId) are read as their definitions; the properties keep the reference.
  const props = withLibraryItems(doc, original);
  const info = props['qInfo'] === undefined || props['qInfo'] === null ? {} : props['qInfo'];
  if (!isRecord(info)) throw invalid('qProp.qInfo', 'qInfo must be an object');
  const id = fixedId ?? readText(info['qId'], 'qProp.qInfo.qId') ?? doc.nextObjectId();
  const type = readText(info['qType'], 'qProp.qInfo.qType') ?? '';
  const hasCube = props['qHyperCubeDef'] !== undefined && props['qHyperCubeDef'] !== null;
  const hasList = props['qListObjectDef'] !== undefined && props['qListObjectDef'] !== null;
  const hasVariables = props['qVariableListDef'] !== undefined && props['qVariableListDef'] !== null;
  if (Number(hasCube) + Number(hasList) + Number(hasVariables) > 1) throw invalid('qProp', 'an object holds one of qHyperCubeDef, qListObjectDef or qVariableListDef');
  let objectDef: ObjectDef = { kind: 'plain' };
  if (hasCube) {
    const def = readHyperCubeDef(props['qHyperCubeDef']);
    // Checked as it would compute now; `$(…)` is expanded again at every computation (values move with selections).
    const cube = expandCube(doc, def);
    for (const d of cube.dimensions) {
      if (d.field.startsWith('=')) checkChartExpression(doc.model, doc.view, d.field, CHART_SCALARS);
      else resolveField(doc.model, doc.view, d.field);
    }
    for (const m of cube.measures) checkChartExpression(doc.model, doc.view, m.expression, CHART_SCALARS);
    objectDef = { kind: 'hypercube', cube: def };
  } else if (hasList) {
    const list = readListObjectDef(props['qListObjectDef']);
    resolveField(doc.model, doc.view, list.field);
    objectDef = { kind: 'listobject', list };
  } else if (hasVariables) {
    objectDef = { kind: 'variablelist', list: readVariableListDef(props['qVariableListDef']) };
  }
  return { id, type, properties: { ...original, qInfo: { ...info, qId: id, qType: type } }, def: objectDef };
}

function readText(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_ID_LENGTH) throw invalid(path, `${path} must be a string of at most ${MAX_ID_LENGTH} characters`);
  return value;
}
