import type { CacheMigration } from './types';

/** Manual sync runs, newest first by start time. */
export const v2: CacheMigration = { version: 2, stores: { syncRuns: 'id, startedAt, status' } };
