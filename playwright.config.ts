import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  // Each test drives its own Chromium and backend; two at once is what 2 cores carry.
  workers: 2,
  fullyParallel: true,
  // On CI one retry: a real Chromium, backend and pages on 2 shared cores lose a race now and then
  // (one run in ~40 went red on a timing the test did not mean to test). The list reporter marks a
  // test that passed only on its retry "flaky", so it is seen and chased, not hidden.
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { outputFolder: 'test-results/report', open: 'never' }]],
});
