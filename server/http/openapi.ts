/**
 * The parts every route definition shares: JSON content, the error answers a route can give, the
 * store-order id parameter. The document itself is generated from the routes (see app.ts), so a
 * route and its description cannot drift apart.
 */
import { z } from 'zod';
import { errorResponseSchema } from '../../lib/domain/api';

export const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({ required, content: json(schema) });

const errorAnswer = (description: string) => ({ description, content: json(errorResponseSchema) });

/** The error answers of a route, from what it takes: every route can answer 401, and one that writes 409 and 429 (the write rate limit). */
export function errorResponses(takes: { body?: boolean; query?: boolean; id?: boolean; writes?: boolean }) {
  return {
    ...((takes.body || takes.query) && { 400: errorAnswer('malformed JSON, or a body or query that does not match the schema (the first few issues, each naming its field)') }),
    401: errorAnswer('missing or invalid API token'),
    ...(takes.id && { 404: errorAnswer('no such store order (or not this merchant\'s)') }),
    ...(takes.writes && { 409: errorAnswer('conflicts with the order\'s state (locked, exists already, key reused)') }),
    ...(takes.body && { 413: errorAnswer('the body is too large') }),
    ...(takes.writes && {
      429: {
        ...errorAnswer('too many writes from this merchant at once'),
        headers: { 'Retry-After': { description: 'seconds until a write is accepted again', schema: { type: 'integer' as const } } },
      },
    }),
  };
}

/** `{id}` in a store order's path: ids are bigserials. */
export const storeOrderParams = z.object({ id: z.string().regex(/^\d{1,18}$/) });
