/** Every version of the cache schema, oldest first: one file each, never rewritten once released. */
import type { CacheMigration } from './types';
import { v1 } from './v1';
import { v2 } from './v2';
import { v3 } from './v3';
import { v4 } from './v4';
import { v5 } from './v5';
import { v6 } from './v6';
import { v7 } from './v7';

export type { CacheMigration } from './types';

export const CACHE_MIGRATIONS: readonly CacheMigration[] = [v1, v2, v3, v4, v5, v6, v7];
