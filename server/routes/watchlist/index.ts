/** `/v1/watchlist`: what the extension should read next. */
import type { Deps } from '../../http/env';
import { newRouter } from '../../http/router';
import { watchlist } from '../../views';
import { getWatchlist } from './routes';

export function watchlistRouter({ db, now }: Deps) {
  return newRouter().openapi(getWatchlist, async (c) => c.json(await watchlist(db, c.get('merchant').id, c.req.valid('query').limit, now()), 200));
}
