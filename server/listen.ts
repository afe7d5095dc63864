/** Taking the port, over HTTP or HTTPS, with the reasons it can fail told in a sentence. */
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type ServerType } from '@hono/node-server';

export type Fetch = (request: Request) => Response | Promise<Response>;

/** A failure to listen, worded for whoever starts the backend. */
export class ListenError extends Error {}

/** Listens on host:port; `fetch` may resolve later (requests that arrive meanwhile wait for it). */
export async function listen(options: {
  port: number;
  host: string;
  tls?: { cert: Buffer; key: Buffer };
  fetch: Promise<Fetch> | Fetch;
}): Promise<{ server: ServerType; port: number; url: string }> {
  const { port, host, tls } = options;
  const server = createAdaptorServer({
    fetch: async (request: Request) => (await options.fetch)(request),
    ...(tls && { createServer: createHttpsServer, serverOptions: tls }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new ListenError(`port ${port} on ${host} is already in use (another backend?): stop it, or set PORT to a free port`));
      else if (error.code === 'EACCES') reject(new ListenError(`port ${port} on ${host} needs privileges this user does not have: set PORT to 1024 or above`));
      else reject(new ListenError(`cannot listen on ${host}:${port}: ${error.message}`));
    });
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return { server, port: bound, url: `${tls ? 'https' : 'http'}://127.0.0.1:${bound}` };
}
