import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from './env';
import { validationHook } from './errors';

/** A router for one resource: its routes are documented from their definitions and answer a failed validation in the API's error shape. */
export const newRouter = (): OpenAPIHono<Env> => new OpenAPIHono<Env>({ defaultHook: validationHook });
