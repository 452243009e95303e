/**
 * The pages' one way to the server: `/[prefix/]qrs/…` and `/[prefix/]qps/…` as the session's user,
 * each call with a fresh xrfkey in the query and the header (Qlik's CSRF defence: a foreign page
 * cannot set the header without a CORS preflight this proxy never grants). The server checks the
 * security rules on every call; the page shows what it answers, refusals included.
 */
export interface ServerError {
  status: number;
  code: string;
  message: string;
  field?: string;
}

export class QrsError extends Error {
  constructor(readonly detail: ServerError) {
    super(detail.message);
  }
}

/** `/prefix` of the virtual proxy the page was loaded through ('' for the default one). */
export const BASE = location.pathname.replace(/\/(qmc|hub)(\/.*)?$/, '');

const XRF_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function xrfkey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => XRF_CHARS[b % XRF_CHARS.length]).join('');
}

let onSessionEnd: () => void = () => undefined;
export function whenSessionEnds(f: () => void): void {
  onSessionEnd = f;
}

const TIMEOUT_MS = 30_000;

/** One request with its xrfkey; a non-2xx answer becomes a QrsError with the server's code, message and field. */
async function send(method: string, path: string, init: { body?: BodyInit; contentType?: string; timeoutMs?: number }, query: Record<string, string>): Promise<Response> {
  const key = xrfkey();
  const qs = new URLSearchParams({ ...query, xrfkey: key });
  const res = await fetch(`${BASE}${path}?${qs.toString()}`, {
    method,
    credentials: 'same-origin',
    headers: { 'X-Qlik-Xrfkey': key, Accept: 'application/json', ...(init.contentType ? { 'Content-Type': init.contentType } : {}) },
    ...(init.body === undefined ? {} : { body: init.body }),
    signal: AbortSignal.timeout(init.timeoutMs ?? TIMEOUT_MS),
  });
  if (!res.ok) await failure(res);
  return res;
}

/** A body's JSON; undefined when it is empty or not JSON (an error page from something in between). */
function jsonOrUndefined(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function failure(res: Response): Promise<never> {
  const json = jsonOrUndefined(await res.text());
  const e = (json as { error?: { code?: unknown; message?: unknown; field?: unknown } } | undefined)?.error;
  const detail: ServerError = {
    status: res.status,
    code: typeof e?.code === 'string' ? e.code : `HTTP_${res.status}`,
    message: typeof e?.message === 'string' ? e.message : `the server answered ${res.status}`,
    ...(typeof e?.field === 'string' ? { field: e.field } : {}),
  };
  if (res.status === 401) onSessionEnd();
  throw new QrsError(detail);
}

/** A file out (a download link) or in (an upload): bytes, not JSON. Long: app files can be large. */
export async function download(path: string): Promise<Blob> {
  return (await send('GET', path, { timeoutMs: 10 * 60_000 }, {})).blob();
}
export async function upload<T>(path: string, file: Blob, query: Record<string, string>): Promise<T> {
  const res = await send('POST', path, { body: file, contentType: 'application/octet-stream', timeoutMs: 10 * 60_000 }, query);
  return (await res.json()) as T;
}

export async function call<T = unknown>(method: string, path: string, body?: unknown, query: Record<string, string> = {}): Promise<T> {
  const res = await send(method, path, body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' }, query);
  return jsonOrUndefined(await res.text()) as T;
}

export const qrs = {
  list: <T>(type: string, filter = '') => call<T[]>('GET', `/qrs/${type}/full`, undefined, filter ? { filter } : {}),
  get: <T>(type: string, id: string) => call<T>('GET', `/qrs/${type}/${id}`),
  put: <T>(type: string, id: string, body: unknown) => call<T>('PUT', `/qrs/${type}/${id}`, body),
  post: <T>(path: string, body?: unknown, query: Record<string, string> = {}) => call<T>('POST', `/qrs/${path}`, body, query),
  del: (type: string, id: string) => call<void>('DELETE', `/qrs/${type}/${id}`),
};

export interface Me {
  userDirectory: string;
  userId: string;
}
export const whoAmI = () => call<Me>('GET', '/qps/user');
export const logout = () => call<void>('DELETE', '/qps/user');
