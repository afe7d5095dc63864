/**
 * Calls to the backend's `/v1` API with the session cookie. Every change sends the session's CSRF
 * token in a header; the cookie alone changes nothing. Types come from the shared zod schemas.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
  /** The backend has no such route: a part of the API another piece of work has not landed yet. */
  get missing(): boolean {
    return this.status === 404 && this.code === 'not_found' && /no such endpoint/.test(this.message);
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status === 401 && path !== '/v1/session') onSignedOut();
    throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? `${response.status} ${response.statusText}`, parsed);
  }
  return parsed as T;
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
