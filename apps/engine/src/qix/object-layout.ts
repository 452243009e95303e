import { hyperCubeLayout } from './cube-layout';
import type { DocContext } from './doc-context';
import { listObjectLayout } from './list-layout';
import type { SessionObject } from './session-object';
import { variableListLayout } from './variable-list';

/**
 * GetLayout of a generic object: its properties with each definition replaced by its computed
 * counterpart (qHyperCubeDef → qHyperCube, qListObjectDef → qListObject, qVariableListDef → qVariableList), as the QIX engine does.
 * Everything computed comes from the session's view; the rest is what the client itself set.
 */
export function objectLayout(doc: DocContext, obj: SessionObject): Record<string, unknown> {
  const { qHyperCubeDef: _cube, qListObjectDef: _list, qVariableListDef: _vars, ...rest } = obj.properties;
  void _cube;
  void _list;
  void _vars;
  const layout: Record<string, unknown> = { ...rest, qInfo: { qId: obj.id, qType: obj.type }, qSelectionInfo: {} };
  switch (obj.def.kind) {
    case 'hypercube':
      layout['qHyperCube'] = hyperCubeLayout(doc, obj.def.cube, doc.pivotExpansions.get(obj.id));
      break;
    case 'listobject':
      layout['qListObject'] = listObjectLayout(doc, obj.def.list);
      break;
    case 'variablelist':
      layout['qVariableList'] = variableListLayout(doc, obj.def.list);
      break;
    case 'plain':
      break;
  }
  return layout;
}
