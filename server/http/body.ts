/**
 * Reading a request: a body refused early when it is too large (before the token is checked, which
 * costs nothing: the declared length is a header), parsed once after the token is checked, its
 * shape and text checked, and handed to the route's validator (which reads the parsed value from
 * hono's body cache); query text checked alike.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Env } from './env';
import { fail, fieldPath } from './errors';
import { jsonShapeProblem, textProblem } from './json-shape';

/** The sync's body: a 1,000-order sync with items and tracking events fits a few times over. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Every other route's body is a few fields. */
export const MAX_COMMAND_BODY_BYTES = 64 * 1024;

const maxBytesOf = (path: string): number => (path === '/v1/sync' ? MAX_BODY_BYTES : MAX_COMMAND_BODY_BYTES);

const tooLarge = (max: number): never => fail(413, 'payload_too_large', `the body is larger than ${max} bytes`);

const limitStream = (max: number) => bodyLimit({ maxSize: max, onError: () => tooLarge(max) });
const streamLimits = new Map([MAX_BODY_BYTES, MAX_COMMAND_BODY_BYTES].map((max) => [max, limitStream(max)]));

/**
 * A declared length is checked as it is. Only a body of unknown length goes through bodyLimit,
 * which counts it as it streams in but turns the request into a web Request to do so; the server
 * reads a declared body straight from the socket instead, which costs much less per request.
 */
export const limitBodySize: MiddlewareHandler<Env> = async (c, next) => {
  const max = maxBytesOf(c.req.path);
  const length = c.req.header('content-length');
  if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamLimits.get(max)!(c, next);
  if (Number.parseInt(length, 10) > max) tooLarge(max);
  await next();
};

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** Parses a JSON body once; an empty one stands for `{}` (a body whose fields all have defaults). */
export const parseJsonBody: MiddlewareHandler<Env> = async (c, next) => {
  if ((c.req.method === 'POST' || c.req.method === 'PUT') && JSON_MEDIA_TYPE.test(c.req.header('content-type') ?? '')) {
    const text = await c.req.text();
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        fail(400, 'bad_request', 'the body is not valid JSON');
      }
    }
    const wrong = jsonShapeProblem(body);
    if (wrong) fail(400, 'bad_request', `${fieldPath(wrong.path) || '(the body)'}: ${wrong.problem}`, fieldPath(wrong.path) || undefined);
    c.req.bodyCache.json = Promise.resolve(body);
  }
  await next();
};

/** Query parameters are text for the database too. */
export const checkQueryText: MiddlewareHandler<Env> = async (c, next) => {
  for (const [name, values] of Object.entries(c.req.queries())) {
    for (const value of values) {
      const problem = textProblem(value);
      if (problem) fail(400, 'bad_request', `${name}: ${problem}`, name);
    }
  }
  await next();
};
