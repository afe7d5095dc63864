/**
 * The API token: never sent over plain http to another computer, and out of the content scripts'
 * reach (the AliExpress tabs are where hostile code would run).
 */
import { cachedAliOrders, configureExtension, expect, test } from './fixtures';

test('the options page refuses a plain http backend on another computer, and says why', async ({ backend, extension }) => {
  const page = await extension.openPage('options.html');
  await page.getByLabel('Backend URL').fill('http://orders.example.com');
  await page.getByLabel('API token').fill(backend.token);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText(/^Plain http:\/\/ sends the API token unencrypted/);
  expect(await page.evaluate(async () => (await chrome.storage.local.get('settings')).settings)).toBeUndefined();
});

test("a content script on an AliExpress page cannot read the stored settings, token included", async ({ backend, extension }) => {
  await configureExtension(extension, backend);
  const page = await extension.context.newPage();
  const cdp = await extension.context.newCDPSession(page);
  const contexts: { id: number; origin: string; type?: string }[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push({ id: context.id, origin: context.origin, type: context.auxData?.type }));
  await cdp.send('Runtime.enable');
  await page.goto('https://www.aliexpress.com/p/order/index.html');
  await expect.poll(async () => (await cachedAliOrders(extension)).length).toBe(10);

  // The content script's own world (isolated, the extension's origin) on that page.
  const isolated = contexts.find((c) => c.type === 'isolated' && c.origin.startsWith(`chrome-extension://${extension.id}`));
  expect(isolated).toBeDefined();
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    contextId: isolated!.id,
    expression: 'chrome.storage.local.get("settings").then((v) => JSON.stringify(v), (e) => "refused: " + e.message)',
    awaitPromise: true,
    returnByValue: true,
  });
  expect(exceptionDetails?.exception?.description ?? String(result.value)).not.toContain(backend.token);
  expect(exceptionDetails ? 'threw' : String(result.value)).toMatch(/^(?:threw|refused: )/);
});
