import { embed } from '@nebula.js/stardust';
import barchart from '@nebula.js/sn-bar-chart';
import table from '@nebula.js/sn-table';

/**
 * The hub's charts, drawn by Qlik's open-source client stack: @nebula.js/stardust with the
 * sn-bar-chart and sn-table visualizations, over the enigma.js document the app view opened
 * (the proxy's websocket, so the engine applies the user's object rules and section access).
 * Loaded only when an app is opened (a separate chunk: the hub's first load stays small).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- nebula's and enigma's objects are untyped here */
export interface Charts {
  render(element: HTMLElement, type: string, properties: Record<string, unknown>): Promise<{ destroy(): void }>;
}

export function chartsFor(doc: any): Charts {
  const n = (embed as any)(doc, {
    context: { language: 'en-US', theme: 'light', constraints: { active: false, passive: false, select: false } },
    types: [
      { name: 'barchart', load: async () => barchart },
      { name: 'table', load: async () => table },
    ],
  });
  // The stored object's properties over the visualization's defaults (nebula merges them into a
  // session object, as Qlik's client does when it creates a chart): objects written by other
  // clients (the API, tests) lack the dozens of defaults sn-bar-chart reads. The session object
  // holds the same definition, in the same engine session, so the user's section access reduces it
  // exactly like the stored one; reading the stored object (getObject) was the object-rule check.
  return {
    render: (element, type, properties) => {
      const { qInfo, ...rest } = properties as { qInfo?: { qType?: string } };
      return n.render({ element, type, properties: { ...rest, qInfo: { qType: qInfo?.qType ?? type } } });
    },
  };
}
