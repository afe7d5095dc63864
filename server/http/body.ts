/**
 * Reading a request's body: refused early when it is too large, parsed once, and handed to the
 * route's validator (which reads the parsed value from hono's body cache).
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Env } from './env';
import { fail } from './errors';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

const tooLarge = (): never => fail(413, 'payload_too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`);

const limitStream = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });

/**
 * A declared length is checked as it is. Only a body of unknown length goes through bodyLimit,
 * which counts it as it streams in but turns the request into a web Request to do so; the server
 * reads a declared body straight from the socket instead, which costs much less per request.
 */
export const limitBodySize: MiddlewareHandler<Env> = async (c, next) => {
  const length = c.req.header('content-length');
  if (length === undefined || c.req.header('transfer-encoding') !== undefined) return limitStream(c, next);
  if (Number.parseInt(length, 10) > MAX_BODY_BYTES) tooLarge();
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
    c.req.bodyCache.json = Promise.resolve(body);
  }
  await next();
};
