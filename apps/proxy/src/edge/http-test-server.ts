import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** Test support: an express app on an ephemeral port, so middleware is exercised over real HTTP. */
export async function serve(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
