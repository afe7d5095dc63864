import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    // A real IndexedDB implementation for Dexie, in Node.
    setupFiles: ['fake-indexeddb/auto'],
    include: ['tests/unit/**/*.test.ts', 'tests/server/**/*.test.ts'],
    // Backend suites share one PostgreSQL server; each file takes its own schema.
    fileParallelism: true,
    // The files wait on PGlite, PostgreSQL and child processes as much as they compute: on 2 cores
    // (CI's), one file per core took the run from 266 s to 185 s, one more than the cores to 136 s;
    // two more was slower again (143 s).
    maxWorkers: availableParallelism() + 1,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
