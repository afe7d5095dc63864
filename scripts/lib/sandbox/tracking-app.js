/*
 * Stand-in for the tracking page's own code in the sandbox: it asks mtop.ae.ld.querydetail for
 * the order in the page URL, as the live page does, and renders the packages it gets.
 */
const escapeText = (text) =>
  String(text ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

(async function trackingApp() {
  const tradeOrderId = new URLSearchParams(location.search).get('tradeOrderId') ?? '';
  const data = encodeURIComponent(JSON.stringify({ tradeOrderId, terminalType: 'PC', needPageDisplayInfo: true, timeZone: 'GMT-3' }));
  const response = await fetch(
    `https://acs.aliexpress.com/h5/mtop.ae.ld.querydetail/1.0/?jsv=2.5.1&appKey=24815441&t=${Date.now()}&api=mtop.ae.ld.querydetail&v=1.0&type=originaljson&dataType=json&data=${data}`,
    { credentials: 'include' },
  );
  const text = await response.text();
  window.__sandboxResponses = [text];
  const lines = JSON.parse(text).data?.module?.trackingDetailLineList ?? [];
  document.querySelector('#root').innerHTML = lines
    .map(
      (line) => `<div class="logistic-info--wrap"><div class="logistic-info--mailNo">${escapeText(line.mailNo)}</div>
        <ul>${(line.detailList ?? []).map((e) => `<li>${escapeText(e.timeText)} ${escapeText(e.trackingDetailDesc)}</li>`).join('')}</ul></div>`,
    )
    .join('');
})();
