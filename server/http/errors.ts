/** Every error answer of the API, in the shared error shape, and the validation hook that makes the 400s. */
import type { Hook } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ErrorResponse } from '../../lib/domain/api';
import { ConflictError, NotFoundError } from '../errors';
import type { Logger } from '../log';
import type { Env } from './env';

export type ErrorCode = ErrorResponse['error']['code'];

export function errorResponse(status: ContentfulStatusCode, code: ErrorCode, message: string, field?: string): Response {
  const body: ErrorResponse = { error: { code, message, ...(field !== undefined && { field }) } };
  return Response.json(body, { status });
}

export function fail(status: ContentfulStatusCode, code: ErrorCode, message: string, field?: string): never {
  throw new HTTPException(status, { res: errorResponse(status, code, message, field) });
}

/** `snapshots[0].orders[3].aliOrderId`, the way a developer writes the path to a field. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}

/** A few issues are enough to fix a request; listing every one let one bad body cost the server its memory. */
export const MAX_ISSUES_SHOWN = 5;

/** The first few issues, each naming its field, and how many more there were. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => `${fieldPath(issue.path) || '(the body)'}: ${issue.message.slice(0, 200)}`);
  const more = issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

/** The routes' validators answer here: a bad path id is a store order that does not exist, anything else a 400. */
export const validationHook: Hook<unknown, Env, string, unknown> = (result, c) => {
  if (result.success) return;
  const { issues } = result.error;
  if (result.target === 'param') fail(404, 'not_found', `no store order ${c.req.param('id') ?? ''}`.trim());
  fail(400, 'bad_request', describeIssues(issues), fieldPath(issues[0]?.path ?? []) || undefined);
};

export function errorHandler(log: Logger) {
  return (error: Error, c: Context<Env>): Response => {
    if (error instanceof HTTPException) {
      // Ours carry their answer; hono's own (a body in another media type, say) are put in our shape.
      if (error.res) return error.getResponse();
      const status = error.status as ContentfulStatusCode;
      const message = status === 415 ? 'send the body as JSON (Content-Type: application/json)' : error.message;
      return errorResponse(status, status === 401 ? 'unauthorized' : 'bad_request', message);
    }
    if (error instanceof NotFoundError) return errorResponse(404, 'not_found', error.message);
    if (error instanceof ConflictError) return errorResponse(409, 'conflict', error.message);
    log.error('unhandled', { path: c.req.path, error: String(error.stack ?? error) });
    return errorResponse(500, 'internal', 'internal error');
  };
}
