import type { DataModel } from './model-types';

/**
 * The part of the association tree that links a root table to the tables holding the cube's
 * dimensions. Each dimension is read from the nearest table holding it (key fields live in
 * several). Dimensions in a part of the model not linked to the root at all hang under a
 * `cross` child: every root row associates with all of them, as unrelated tables do in QIX.
 */
export interface JoinNode {
  tableId: number;
  /** Key field linking this node to its parent; null for the root and for cross children. */
  parentKey: number | null;
  /** Indexes into the dimension list read from this table. */
  ownDims: number[];
  children: JoinNode[];
  /** Dimension indexes of a cross child's whole subtree (set on cross children only). */
  crossDims?: number[];
}

export function buildJoinTree(model: DataModel, rootTable: number, dimFields: readonly number[]): JoinNode {
  return build(
    model,
    rootTable,
    dimFields.map((fieldId, index) => ({ index, fieldId })),
  );
}

function build(model: DataModel, rootTable: number, dims: readonly { index: number; fieldId: number }[]): JoinNode {
  const { parentOf, order } = bfs(model, rootTable);
  const nodes = new Map<number, JoinNode>();
  const node = (t: number): JoinNode => {
    let n = nodes.get(t);
    if (n === undefined) {
      n = { tableId: t, parentKey: parentOf.get(t)?.key ?? null, ownDims: [], children: [] };
      nodes.set(t, n);
      const parent = parentOf.get(t);
      if (parent !== undefined) node(parent.table).children.push(n);
    }
    return n;
  };
  const root = node(rootTable);
  let unlinked: { index: number; fieldId: number }[] = [];
  for (const d of dims) {
    const holder = order.find((t) => model.tables[t]!.columnByField.has(d.fieldId));
    if (holder === undefined) unlinked.push(d);
    else node(holder).ownDims.push(d.index);
  }
  // Dimensions outside the root's component: one cross child per other component.
  while (unlinked.length > 0) {
    const sub = build(model, model.fields[unlinked[0]!.fieldId]!.tableIds[0]!, unlinked);
    const covered = collectDims(sub);
    root.children.push({ ...sub, parentKey: null, crossDims: [...covered] });
    unlinked = unlinked.filter((d) => !covered.has(d.index));
  }
  return root;
}

function collectDims(n: JoinNode, into = new Set<number>()): Set<number> {
  n.ownDims.forEach((d) => into.add(d));
  n.children.forEach((c) => collectDims(c, into));
  return into;
}

function bfs(model: DataModel, root: number): { parentOf: Map<number, { table: number; key: number }>; order: number[] } {
  const parentOf = new Map<number, { table: number; key: number }>();
  const order = [root];
  const seen = new Set([root]);
  for (let i = 0; i < order.length; i++) {
    const t = order[i]!;
    for (const fid of model.tables[t]!.fieldIds) {
      const f = model.fields[fid]!;
      if (!f.isKey) continue;
      for (const other of f.tableIds) {
        if (seen.has(other)) continue;
        seen.add(other);
        parentOf.set(other, { table: t, key: fid });
        order.push(other);
      }
    }
  }
  return { parentOf, order };
}
