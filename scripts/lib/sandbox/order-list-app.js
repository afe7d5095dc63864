/*
 * Stand-in for AliExpress's own order list code in the sandbox: it consumes the inline init data
 * through `__INIT_DATA_CALLBACK__`, and "View orders" asks the order list API for the next page
 * and appends its cards with the page's markup, as the live page does. The responses it received
 * are kept on `window.__sandboxResponses` so a test can compare them byte for byte.
 */
const escape = (text) =>
  String(text ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

const price = (text) =>
  `<div class="es--wrap--erdmPRe notranslate">${[...String(text ?? '')].map((c) => `<span class="es--char--1pTmO2Z">${escape(c)}</span>`).join('')}</div>`;

const more = () => document.querySelector('.order-more');

(function orderListApp() {
  const API = 'https://acs.aliexpress.com/h5/mtop.aliexpress.trade.buyer.order.list/1.0/';
  window.__sandboxResponses = [];

  if (typeof window.__INIT_DATA_CALLBACK__ === 'function') {
    window.__INIT_DATA_CALLBACK__(
      (data) => {
        window.__sandboxInitData = data;
      },
      () => undefined,
    );
  }


  function card(f) {
    const lines = (f.orderLines ?? [])
      .map(
        (l) => `<div class="order-item-content-body"><div class="order-item-content-info">
          <div class="order-item-content-info-name"><a href="${escape(l.itemDetailUrl)}"><span title="${escape(l.itemTitle)}">${escape(l.itemTitle)}</span></a></div>
          <div class="order-item-content-info-number">${price(l.itemPriceText)}<span class="order-item-content-info-number-quantity">x${escape(l.quantity)}</span></div>
        </div></div>`,
      )
      .join('');
    const buttons = (f.buttons ?? [])
      .map((b) =>
        b.type === 'TRACKING'
          ? `<a class="comet-btn" href="https://www.aliexpress.com/p/tracking/index.html?_addShare=no&_login=yes&tradeOrderId=${escape(f.orderId)}"><span>${escape(b.text)}</span></a>`
          : `<button type="button" class="comet-btn"><span>${escape(b.text)}</span></button>`,
      )
      .join('');
    return `<div class="order-item">
      <div class="order-item-header">
        <div class="order-item-header-status"><span class="order-item-header-status-text">${escape(f.statusText)}</span></div>
        <div class="order-item-header-right">
          <div class="order-item-header-right-info"><div>Order date: ${escape(f.orderDateText)}</div><div>Order ID: ${escape(f.orderId)}<span class="order-item-btn-copy">Copy</span></div></div>
          <a class="order-item-header-right-detail" href="https://www.aliexpress.com/p/order/detail.html?orderId=${escape(f.orderId)}">Order details</a>
        </div>
      </div>
      <div class="order-item-store"><a href="${escape(f.storePageUrl)}"><span class="order-item-store-name">${escape(f.storeName)}</span></a></div>
      <div class="order-item-content">${lines}
        <div class="order-item-content-opt"><div class="order-item-content-opt-price"><span class="order-item-content-opt-price-total">Total:${price(f.totalPriceText)}</span></div>
        <div class="order-item-btns-wrap"><div class="order-item-btns">${buttons}</div></div></div>
      </div>
    </div>`;
  }

  let pageIndex = 1;
  let statusTab = 'all';

  /** Asks the list API for a page of the current tab, as the live page does, and shows its cards. */
  async function showPage(replace) {
    const response = await fetch(`${API}?jsv=2.5.1&appKey=24815441&t=${Date.now()}&api=mtop.aliexpress.trade.buyer.order.list&v=1.0&type=originaljson&dataType=json`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `data=${encodeURIComponent(JSON.stringify({ pageIndex, pageSize: 10, statusTab }))}`,
    });
    const text = await response.text();
    window.__sandboxResponses.push(text);
    const body = JSON.parse(text);
    const components = Object.values(body.data?.data ?? {});
    const order = body.data?.hierarchy?.structure?.[body.data?.hierarchy?.root] ?? [];
    const cards = components.filter((c) => c.tag === 'pc_om_list_order');
    cards.sort((a, b) => order.indexOf(`pc_om_list_order_${a.fields.orderId}`) - order.indexOf(`pc_om_list_order_${b.fields.orderId}`));
    const html = cards.map((c) => card(c.fields)).join('');
    const content = document.querySelector('.order-content');
    if (replace && content) content.innerHTML = html;
    else content?.insertAdjacentHTML('beforeend', html);
    const list = components.find((c) => c.tag === 'pc_om_list_body');
    if (!list?.fields?.hasMore) more()?.remove();
    else if (!more()) document.querySelector('.order-main')?.insertAdjacentHTML('beforeend', '<div class="order-more"><button type="button" class="comet-btn comet-btn-large"><span>View orders</span></button></div>');
  }

  document.addEventListener('click', async (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const tab = target?.closest('.order-tab[data-tab]');
    if (tab) {
      document.querySelectorAll('.order-tab').forEach((t) => t.classList.toggle('order-tab-active', t === tab));
      statusTab = tab.getAttribute('data-tab');
      pageIndex = 1;
      await showPage(true);
      return;
    }
    if (!target?.closest('.order-more button')) return;
    pageIndex += 1;
    await showPage(false);
  });
})();
