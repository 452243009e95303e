import WebSocket from 'ws';
import { TEST_USER_HEADER } from './qix-test-server';

export interface RpcFrame {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; parameter: string; message: string };
  change?: number[];
  close?: number[];
}

/**
 * A bare websocket client speaking frames directly (enigma.js cannot send malformed ones). `next()`
 * yields frames in arrival order; `call()` sends a request and waits for the response with its id.
 */
export class RawClient {
  private readonly queue: RpcFrame[] = [];
  private readonly waiters: ((f: RpcFrame) => void)[] = [];
  private nextId = 1;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as RpcFrame;
      const w = this.waiters.shift();
      if (w !== undefined) w(frame);
      else this.queue.push(frame);
    });
  }

  static async connect(url: string, user: string): Promise<RawClient> {
    const ws = new WebSocket(url, { headers: { [TEST_USER_HEADER]: user } });
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  next(): Promise<RpcFrame> {
    const f = this.queue.shift();
    return f !== undefined ? Promise.resolve(f) : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Send raw text (or binary) and wait for the next frame. */
  async sendRaw(data: string | Buffer): Promise<RpcFrame> {
    this.ws.send(data);
    return this.next();
  }

  async call(method: string, handle: number, params: unknown = []): Promise<RpcFrame> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, handle, params }));
    const frame = await this.next();
    if (frame.id !== id) throw new Error(`expected the response to ${id}, got ${JSON.stringify(frame).slice(0, 200)}`);
    return frame;
  }

  close(): void {
    this.ws.close();
  }
}
