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
  document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('.order-more button') : null;
    if (!button) return;
    pageIndex += 1;
    const response = await fetch(`${API}?jsv=2.5.1&appKey=24815441&t=${Date.now()}&api=mtop.aliexpress.trade.buyer.order.list&v=1.0&type=originaljson&dataType=json`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `data=${encodeURIComponent(JSON.stringify({ pageIndex, pageSize: 10, statusTab: 'all' }))}`,
    });
    const text = await response.text();
    window.__sandboxResponses.push(text);
    const body = JSON.parse(text);
    const components = Object.values(body.data?.data ?? {});
    const html = components.filter((c) => c.tag === 'pc_om_list_order').map((c) => card(c.fields)).join('');
    document.querySelector('.order-content')?.insertAdjacentHTML('beforeend', html);
    const more = components.find((c) => c.tag === 'pc_om_list_body');
    if (!more?.fields?.hasMore) document.querySelector('.order-more')?.remove();
  });
})();
