/**
 * Reading a request: a body refused early when it is too large (before the token is checked, which
 * costs nothing: the declared length is a header), parsed once after the token is checked, its
 * shape and text checked, and handed to the route's validator (which reads the parsed value from
 * hono's body cache); query text checked alike.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Env } from './env';
import { fail, fieldPath } from './errors';
import { jsonShapeProblem, textProblem } from './json-shape';

/** The sync's body: a 1,000-order sync with items and tracking events fits a few times over. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Every other route's body is a few fields. */
export const MAX_COMMAND_BODY_BYTES = 64 * 1024;

const maxBytesOf = (path: string): number => (path === '/v1/sync' ? MAX_BODY_BYTES : MAX_COMMAND_BODY_BYTES);

const tooLarge = (max: number): never => fail(413, 'payload_too_large', `the body is larger than ${max} bytes`);

/** A declared length is refused as it is, before the token is checked: a header costs nothing to read. */
export const limitDeclaredBodySize: MiddlewareHandler<Env> = async (c, next) => {
  const length = c.req.header('content-length');
  if (length !== undefined && Number.parseInt(length, 10) > maxBytesOf(c.req.path)) tooLarge(maxBytesOf(c.req.path));
  await next();
};

/**
 * The body as text, read only once the token is checked. A declared body is read as it is (the
 * server reads it straight from the socket, which costs much less per request than a stream); one
 * of unknown length is counted as it streams in and refused as soon as it passes the limit.
 */
async function readText(c: Context<Env>): Promise<string> {
  const max = maxBytesOf(c.req.path);
  if (c.req.header('content-length') !== undefined && c.req.header('transfer-encoding') === undefined) return c.req.text();
  const reader = c.req.raw.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** Parses a JSON body once; an empty one stands for `{}` (a body whose fields all have defaults). */
export const parseJsonBody: MiddlewareHandler<Env> = async (c, next) => {
  if ((c.req.method === 'POST' || c.req.method === 'PUT') && JSON_MEDIA_TYPE.test(c.req.header('content-type') ?? '')) {
    const text = await readText(c);
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
