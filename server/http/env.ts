/** What every route of the API is built with: the request's variables and the app's dependencies. */
import type { Merchant } from '../auth';
import type { Database } from '../db';

export type Env = { Variables: { merchant: Merchant; token: string } };

export interface Deps {
  db: Database;
  /** The clock; tests move it. */
  now: () => Date;
}
