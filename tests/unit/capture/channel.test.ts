/**
 * The page hook's line to the content script: handed over once at document_start, out of reach of
 * the page's own scripts, which run later and can dispatch any DOM event they like.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hookChannelDeps, openHookChannel, PORT_EVENT, READY_EVENT, takeHookPort } from '../../../lib/capture/channel';

const opened: MessagePort[] = [];
afterEach(() => {
  for (const port of opened.splice(0)) port.close();
});

/** The live window's dependencies, but a port event Node lets a listener cancel. */
function hookDeps(target: EventTarget) {
  return {
    ...hookChannelDeps(globalThis, target),
    createPortEvent: (port: MessagePort) => Object.assign(new Event(PORT_EVENT, { cancelable: true }), { ports: [port] }),
  };
}

/** What arrives on a port, once the messages sent so far had time to cross. */
async function received(port: MessagePort | undefined): Promise<unknown[]> {
  const got: unknown[] = [];
  if (!port) return got;
  opened.push(port);
  port.addEventListener('message', (event) => void got.push(event.data));
  port.start();
  await new Promise((resolve) => setTimeout(resolve, 20));
  return got;
}

/** A page script's attempts, after both extension scripts ran: ask for the port, offer its own. */
function hostilePageScript(target: EventTarget) {
  const own = new MessageChannel();
  opened.push(own.port1, own.port2);
  let stolen = 0;
  target.addEventListener(PORT_EVENT, (event) => {
    const port = (event as MessageEvent).ports?.[0];
    if (port && port !== own.port2) stolen += 1;
  });
  target.dispatchEvent(new Event(READY_EVENT));
  target.dispatchEvent(Object.assign(new Event(PORT_EVENT, { cancelable: true }), { ports: [own.port2] }));
  own.port1.postMessage({ api: 'mtop.ae.ld.querydetail', url: 'https://acs.aliexpress.com/forged', text: '{"forged":true}' });
  return stolen;
}

describe('the channel from the page hook to the content script', () => {
  it('hands the port over once, when the hook runs first, and carries what the hook sends, request bodies and all', async () => {
    const document = new EventTarget();
    const send = openHookChannel(hookDeps(document));
    const port = takeHookPort(document);
    expect(port).toBeDefined();
    const stolen = hostilePageScript(document);
    const observed = { api: 'mtop.aliexpress.trade.buyer.order.list', url: 'https://acs.aliexpress.com/h5/x', text: '{"data":{}}', request: 'data={"statusTab":"shipped"}' };
    send(observed);
    expect(await received(port)).toEqual([observed]);
    // The page script asked too late: no port for it, and its own port was not taken.
    expect(stolen).toBe(0);
  });

  it('gives the content script no port when no hook ran before it, and none later from a page script', async () => {
    const document = new EventTarget();
    expect(takeHookPort(document)).toBeUndefined();
    // A page script offering a port of its own finds nobody listening any more.
    const stolen = hostilePageScript(document);
    expect(stolen).toBe(0);
  });

  it('drops what the hook sees while no content script took the port', async () => {
    const document = new EventTarget();
    const send = openHookChannel(hookDeps(document));
    send({ api: 'init', url: 'https://www.aliexpress.com/p/order/index.html', text: '{}' });
    const port = takeHookPort(document);
    send({ api: 'init', url: 'https://www.aliexpress.com/p/order/index.html', text: '{"second":true}' });
    expect(await received(port)).toEqual([{ api: 'init', url: 'https://www.aliexpress.com/p/order/index.html', text: '{"second":true}' }]);
  });

  it('sends through the postMessage the hook started with, not one a page script put in later', async () => {
    const document = new EventTarget();
    const send = openHookChannel(hookDeps(document));
    const port = takeHookPort(document);
    const original = MessagePort.prototype.postMessage;
    const grabbed: unknown[] = [];
    MessagePort.prototype.postMessage = function (this: MessagePort) {
      grabbed.push(this);
    };
    try {
      send({ api: 'init', url: 'https://www.aliexpress.com/p/order/index.html', text: '{}' });
    } finally {
      MessagePort.prototype.postMessage = original;
    }
    expect(grabbed).toEqual([]);
    expect(await received(port)).toHaveLength(1);
  });
});
