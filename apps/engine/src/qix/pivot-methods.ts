import { readPages } from './def-readers';
import { docOf } from './doc-methods';
import { pathTarget } from './generic-object-methods';
import type { MethodTable } from './method-table';
import { invalid } from './method-args';
import { pivotPages } from './pivot-layout';

/** GetHyperCubePivotData: pages of a qMode "P" cube (see pivot-layout.ts). */
export const PIVOT_METHODS: MethodTable = {
  GetHyperCubePivotData: {
    params: ['qPath', 'qPages'],
    out: ['qDataPages'],
    run: (ctx, args) => {
      const def = pathTarget(ctx, args, '/qHyperCubeDef');
      if (def.kind !== 'hypercube') return [];
      if (def.cube.mode !== 'P') throw invalid('qPath', 'the hypercube is not a pivot (qMode "P")');
      return pivotPages(docOf(ctx), def.cube, readPages(args.array(1, Number.MAX_SAFE_INTEGER), 'qPages')).pages;
    },
  },
};
