/**
 * The line from the page hook (the page's own world, MAIN) to the content script (the extension's
 * isolated world): a MessagePort handed over once, synchronously, while both scripts run at
 * document_start and before any of the page's own scripts exist.
 *
 * Why a port and not DOM events: any script of the page can dispatch a DOM event of any name, so a
 * content script listening for one believes whatever a hostile script sends (it added a
 * "delivered" package to a real order that way). A port is addressable only by who holds one of
 * its two ends, and neither end is ever where a page script can reach it:
 * - the hook keeps its end in a closure and posts through a `postMessage` it took before the page
 *   could replace it (see page-hook.ts);
 * - the other end travels in one synchronous event dispatch, received by a listener that is
 *   removed before the dispatch returns; page scripts, which run later, never see that event.
 *
 * What it relies on: Chrome injects an extension's document_start scripts in manifest order
 * before any script of the page runs, and the hook is declared first (wxt.config.ts). If the hook
 * is missing or late, the content script gets no port and reads the DOM only: it fails closed.
 *
 * What it does not protect against: a script of the page that changes what the page itself
 * receives or shows (its init data before the page reads it, its DOM). The extension reads the
 * merchant's page; whoever rewrites that page rewrites what the merchant sees too. The worker adds
 * its own checks on what an answer is about (observed-answer.ts).
 */

/** The hook's offer of its port (a MessageEvent carrying it in `ports`). */
export const PORT_EVENT = 'ali-order-sync:port';
/** The content script's call for the port, in case the hook ran first and offered to nobody. */
export const READY_EVENT = 'ali-order-sync:ready';

/** What the hook side needs, taken from the page's world before any page script ran. */
export interface HookChannelDeps {
  target: EventTarget;
  createChannel: () => MessageChannel;
  dispatch: (target: EventTarget, event: Event) => boolean;
  listen: (target: EventTarget, type: string, listener: () => void) => void;
  unlisten: (target: EventTarget, type: string, listener: () => void) => void;
  createPortEvent: (port: MessagePort) => Event;
  post: (port: MessagePort, value: unknown) => void;
}

/**
 * The hook's end: offers the port now and on the content script's call, until it is taken once.
 * Returns the sender; what it sends before the port is taken (or if it never is) is dropped.
 */
export function openHookChannel(deps: HookChannelDeps): (value: unknown) => void {
  const { port1, port2 } = deps.createChannel();
  let handedOver = false;
  const offer = () => {
    if (handedOver) return;
    // The taker cancels the event: that, not a reply that could come from anyone, says it took it.
    handedOver = !deps.dispatch(deps.target, deps.createPortEvent(port2));
    if (handedOver) deps.unlisten(deps.target, READY_EVENT, offer);
  };
  deps.listen(deps.target, READY_EVENT, offer);
  offer();
  return (value) => {
    if (handedOver) deps.post(port1, value);
  };
}

/** The hook's dependencies from a live window, taken at once (call it at document_start). */
export function hookChannelDeps(win: typeof globalThis, target: EventTarget): HookChannelDeps {
  const apply = Reflect.apply;
  const { dispatchEvent, addEventListener, removeEventListener } = win.EventTarget.prototype;
  const { postMessage } = win.MessagePort.prototype;
  const Channel = win.MessageChannel;
  const PortEvent = win.MessageEvent;
  return {
    target,
    createChannel: () => new Channel(),
    dispatch: (on, event) => apply(dispatchEvent, on, [event]) as boolean,
    listen: (on, type, listener) => apply(addEventListener, on, [type, listener]),
    unlisten: (on, type, listener) => apply(removeEventListener, on, [type, listener]),
    createPortEvent: (port) => new PortEvent(PORT_EVENT, { ports: [port], cancelable: true }),
    post: (port, value) => apply(postMessage, port, [value]),
  };
}

/**
 * The content script's end: asks for the port and takes one only while its own call is being
 * dispatched. Call it once, synchronously, at document_start. Undefined: no hook answered.
 */
export function takeHookPort(target: EventTarget): MessagePort | undefined {
  let port: MessagePort | undefined;
  const take = (event: Event) => {
    const offered = (event as MessageEvent).ports?.[0];
    if (port || !offered) return;
    port = offered;
    event.preventDefault();
  };
  target.addEventListener(PORT_EVENT, take);
  try {
    target.dispatchEvent(new Event(READY_EVENT));
  } finally {
    target.removeEventListener(PORT_EVENT, take);
  }
  return port;
}
