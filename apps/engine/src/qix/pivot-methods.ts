import { readPages } from './def-readers';
import { docOf } from './doc-methods';
import { pathTarget } from './generic-object-methods';
import type { CallContext, MethodSpec, MethodTable } from './method-table';
import { invalid, type MethodArgs } from './method-args';
import { currentObject } from './objects/persisted-object';
import { MAX_EXPANSION_KEYS, newExpansion, pivotNodeKey, pivotPages } from './pivot-layout';
import type { CubeSpec } from './hypercube-def-reader';

function pivotCube(ctx: CallContext, args: MethodArgs): CubeSpec {
  const def = pathTarget(ctx, args, '/qHyperCubeDef');
  if (def.kind !== 'hypercube' || def.cube.mode !== 'P') throw invalid('qPath', 'the hypercube is not a pivot (qMode "P")');
  return def.cube;
}

/**
 * ExpandLeft/CollapseLeft/ExpandTop/CollapseTop: change this handle's expansion of the pivot (see
 * pivot-layout.ts). The node is named by its position in the pivot as computed now, on the user's
 * view — so a node outside the view cannot be named, let alone opened. With qAlwaysFullyExpanded
 * the call changes nothing, as in Qlik.
 */
function expander(side: 'left' | 'top', expand: boolean): MethodSpec {
  return {
    params: ['qPath', 'qRow', 'qCol', 'qAll'],
    out: 'void',
    run: (ctx, args) => {
      const cube = pivotCube(ctx, args);
      const row = args.integer(1);
      const col = args.integer(2);
      const every = args.boolean(3, false);
      if (cube.pivot.alwaysFullyExpanded) return;
      const doc = docOf(ctx);
      const id = currentObject(ctx, doc).id;
      const state = doc.pivotExpansions.get(id) ?? newExpansion();
      const e = state[side];
      if (every) {
        e.all = expand;
        e.keys.clear();
      } else {
        const k = side === 'left' ? pivotNodeKey(doc, cube, state, 'left', row, col) : pivotNodeKey(doc, cube, state, 'top', col, row);
        // "all expanded" remembers the collapsed nodes, otherwise the expanded ones.
        if (expand !== e.all) {
          if (e.keys.size >= MAX_EXPANSION_KEYS) throw invalid('qAll', `at most ${MAX_EXPANSION_KEYS} nodes are expanded or collapsed one by one; use qAll`);
          e.keys.add(k);
        } else e.keys.delete(k);
      }
      doc.pivotExpansions.set(id, state);
      ctx.change.add(ctx.handle);
    },
  };
}

/** GetHyperCubePivotData: pages of a qMode "P" cube (see pivot-layout.ts), as this handle has it expanded. */
export const PIVOT_METHODS: MethodTable = {
  GetHyperCubePivotData: {
    params: ['qPath', 'qPages'],
    out: ['qDataPages'],
    run: (ctx, args) => {
      const def = pathTarget(ctx, args, '/qHyperCubeDef');
      if (def.kind !== 'hypercube') return [];
      if (def.cube.mode !== 'P') throw invalid('qPath', 'the hypercube is not a pivot (qMode "P")');
      const doc = docOf(ctx);
      return pivotPages(doc, def.cube, readPages(args.array(1, Number.MAX_SAFE_INTEGER), 'qPages'), doc.pivotExpansions.get(currentObject(ctx, doc).id)).pages;
    },
  },
  ExpandLeft: expander('left', true),
  CollapseLeft: expander('left', false),
  ExpandTop: expander('top', true),
  CollapseTop: expander('top', false),
};
