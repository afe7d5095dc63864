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
    // Vitest runs one file fewer than there are cores at a time: on CI's 2 cores that is one at
    // a time. The files wait on PGlite, PostgreSQL and child processes as much as they compute:
    // one per core took the run from 266 s to 185 s here.
    maxWorkers: availableParallelism(),
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
