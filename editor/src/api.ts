import type { LoginResponse, PlaybookDetail, PlaybookSummary, PlaybookVersion, User } from './types';

/** Any non-2xx answer, or a network failure (status 0), with the server's `{error:{code,message}}` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/**
 * Called when any request (other than login itself) gets a 401, so an expired session
 * sends the user back to the login page from wherever they are.
 */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Login reports bad credentials as 401; that must not count as "session expired". */
  ignoreUnauthorized?: boolean;
  /** Extra request headers, e.g. If-Match for the designer's optimistic draft saves. */
  headers?: Record<string, string>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorFromBody(status: number, body: unknown, fallback: string): ApiError {
  const err = isRecord(body) ? body.error : undefined;
  if (isRecord(err) && typeof err.message === 'string') {
    return new ApiError(status, typeof err.code === 'string' ? err.code : 'error', err.message, err.details);
  }
  return new ApiError(status, 'http_error', fallback);
}

/** One JSON request with the session cookie; feature modules (e.g. the inbox) build their calls on it. */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  return (await requestWithHeaders<T>(path, opts)).body;
}

/** As `request`, also giving the response headers (the designer needs the draft's ETag). */
export async function requestWithHeaders<T>(path: string, opts: RequestOptions = {}): Promise<{ body: T; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.ignoreUnauthorized) onUnauthorized?.();
    throw errorFromBody(res.status, body, `${res.status} ${res.statusText || 'request failed'}`);
  }
  return { body: body as T, headers: res.headers };
}

const enc = encodeURIComponent;

export const api = {
  login: (username: string, password: string) =>
    request<LoginResponse>('/api/auth/login', { method: 'POST', body: { username, password }, ignoreUnauthorized: true }),

  /** The signed-in user, or null when there is no valid session. */
  me: async (signal?: AbortSignal): Promise<User | null> => {
    try {
      return (await request<{ user: User }>('/api/auth/me', { signal, ignoreUnauthorized: true })).user;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },

  logout: () => request<unknown>('/api/auth/logout', { method: 'POST', ignoreUnauthorized: true }),

  listPlaybooks: async (signal?: AbortSignal) => (await request<{ playbooks: PlaybookSummary[] }>('/api/playbooks', { signal })).playbooks,

  getPlaybook: (key: string, signal?: AbortSignal) => request<PlaybookDetail>(`/api/playbooks/${enc(key)}`, { signal }),

  getVersion: (key: string, version: number, signal?: AbortSignal) => request<PlaybookVersion>(`/api/playbooks/${enc(key)}/versions/${version}`, { signal }),
};

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
