/**
 * The parts every route definition shares: JSON content, the error answers a route can give, the
 * store-order id parameter. The document itself is generated from the routes (see app.ts), so a
 * route and its description cannot drift apart.
 */
import type { z } from 'zod';
import { errorResponseSchema } from '../../lib/domain/api';
import { z as zod } from '@hono/zod-openapi';

export const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({ required, content: json(schema) });

const errorAnswer = (description: string) => ({ description, content: json(errorResponseSchema) });

/** The error answers of a route, from what it takes: every authenticated route can answer 401 (and 429 when it writes). */
export function errorResponses(takes: { body?: boolean; query?: boolean; id?: boolean; writes?: boolean }) {
  return {
    ...((takes.body || takes.query) && { 400: errorAnswer('malformed JSON, or a body or query that does not match the schema (the first few issues, each naming its field)') }),
    401: errorAnswer('missing or invalid API token'),
    ...(takes.id && { 404: errorAnswer('no such store order (or not this merchant\'s)') }),
    ...(takes.writes && { 409: errorAnswer('conflicts with the order\'s state (locked, exists already, key reused)') }),
    ...(takes.body && { 413: errorAnswer('the body is too large') }),
  };
}

/** `{id}` in a store order's path: ids are bigserials. */
export const storeOrderParams = zod.object({
  id: zod.string().regex(/^\d{1,18}$/).openapi({ param: { name: 'id', in: 'path' } }),
});
