/**
 * The content scripts' line to the worker, when the extension is updated or reloaded under an open
 * AliExpress page: the script left behind must stay quiet, not throw on every page event.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extensionAlive, post } from '../../../lib/capture/content-script';

const message = { type: 'sync-now' } as const;

afterEach(() => vi.unstubAllGlobals());

describe('a content script talking to the worker', () => {
  it('sends while its extension runs, and passes the answer on', async () => {
    const sendMessage = vi.fn().mockResolvedValue({ ok: true });
    vi.stubGlobal('chrome', { runtime: { id: 'ext', sendMessage } });
    expect(extensionAlive()).toBe(true);
    await expect(post(message)).resolves.toEqual({ ok: true });
    expect(sendMessage).toHaveBeenCalledWith(message);
  });

  it('left behind by an update (no runtime id), sends nothing and fails nothing', async () => {
    const sendMessage = vi.fn();
    vi.stubGlobal('chrome', { runtime: { id: undefined, sendMessage } });
    expect(extensionAlive()).toBe(false);
    await expect(post(message)).resolves.toBeUndefined();
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it('a worker that is restarting, or a context invalidated mid-call, loses the message quietly', async () => {
    vi.stubGlobal('chrome', { runtime: { id: 'ext', sendMessage: vi.fn().mockRejectedValue(new Error('Receiving end does not exist.')) } });
    await expect(post(message)).resolves.toBeUndefined();
    vi.stubGlobal('chrome', {
      runtime: {
        id: 'ext',
        sendMessage: () => {
          throw new Error('Extension context invalidated.');
        },
      },
    });
    await expect(post(message)).resolves.toBeUndefined();
  });
});
