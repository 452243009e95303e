import type { ScriptFileSink } from '@trustzone/load-script';
import { parseFileReply, type FileRequest } from './reload-protocol';

type Send = (message: FileRequest) => void;
type Pending = { resolve: (bytes: Uint8Array | undefined) => void; reject: (e: Error) => void };

/**
 * The worker's side of the file requests: each request gets an id, the engine's reply settles
 * it. Refusals come back as errors whose message the engine already made safe for the script
 * author. The worker never writes a file and never sees a key.
 */
export class WorkerFileBridge {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly send: Send) {}

  /** Feeds a message from the engine; returns false when it was not a file reply. */
  receive(raw: unknown): boolean {
    const reply = parseFileReply(raw);
    if (!reply) return false;
    const p = this.pending.get(reply.id);
    if (!p) return true;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.bytes);
    else p.reject(new Error(reply.message));
    return true;
  }

  private request(make: (id: number) => FileRequest): Promise<Uint8Array | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send(make(id));
    });
  }

  readonly sink: ScriptFileSink = {
    write: async (connection, path, bytes, kind) => {
      await this.request((id) => ({ type: 'file-request', id, op: 'write', connection, path, kind, bytes }));
    },
  };

  readonly openSealed = async (connection: string, path: string): Promise<Uint8Array> => {
    const bytes = await this.request((id) => ({ type: 'file-request', id, op: 'open-sealed', connection, path }));
    if (!bytes) throw new Error('the engine returned no content');
    return bytes;
  };
}
