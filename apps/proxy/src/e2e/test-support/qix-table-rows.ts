import type { RunningSite } from '@trustzone/site-harness';
import { QixCallError, qixAs } from './qix-rpc';

/**
 * OpenDoc as a browser session holding `cookie` on virtual proxy `prefix` would open it, then the row
 * count of `table` the user sees (section access applied), or the QIX error code when the app is refused.
 */
export async function tableRowsSeenBy(site: RunningSite, q: { prefix: string; appId: string; origin: string; cookie: string; table: string }): Promise<number | { denied: number }> {
  const qix = await qixAs(site, q);
  try {
    let opened: Record<string, unknown>;
    try {
      opened = await qix.call(-1, 'OpenDoc', [q.appId]);
    } catch (e) {
      if (e instanceof QixCallError) return { denied: e.code };
      throw e;
    }
    const doc = (opened['qReturn'] as { qHandle: number }).qHandle;
    const tables = await qix.call(doc, 'GetTablesAndKeys', [{ qcx: 1000, qcy: 1000 }, { qcx: 0, qcy: 0 }, 30, false, false]);
    const qtr = tables['qtr'] as { qName: string; qNoOfRows: number }[];
    return qtr.find((t) => t.qName === q.table)?.qNoOfRows ?? -1;
  } finally {
    qix.close();
  }
}
