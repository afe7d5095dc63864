/**
 * Every CSS selector and label pattern the DOM readers rely on, in one place, each checked against
 * the saved pages in tests/fixtures/pages. When AliExpress changes a layout, this is the file to
 * mend. `[class*="block--element--"]` entries match the hashed CSS-module class names of newer
 * builds ("es--wrap--erdmPRe" style: block, element, hash), where the plain class is gone.
 */
import { LOGIN_HOST } from './urls';

export const ORDER_LIST = {
  /** One card per order: the classic card, its hashed form and the narrow-screen card. */
  card: '.order-item, [class*="order-item--wrap--"], [class*="order-card--wrap--"]',
  orderLinks: 'a[href*="orderId="], a[href*="tradeOrderId="]',
  /** Lines that carry "Label: value" pairs in the card header. */
  infoLines:
    '.order-item-header-right-info > div, [class*="order-item--info--"] > div, [class*="order-card--info--"] > div',
  /** English labels (the real list's i18n: "Ref. Number"; the classic card: "Order ID:"). */
  orderIdLabel: /^(?:Order ID|Order No\.?|Order number|Ref\.? Number)\s*[:：]?\s*/i,
  orderDateLabel: /^(?:Order date|Date|Order placed on)\s*[:：]?\s*/i,
  status: '.order-item-header-status-text, [class*="order-item--status--"], [class*="order-card--status--"]',
  storeName: '.order-item-store-name, [class*="order-item--store-name--"], [class*="order-card--store--"]',
  /** The order total; AliExpress prints prices one character per span. */
  total: '.order-item-content-opt-price-total, [class*="order-item--total--"], [class*="order-card--total--"]',
  itemTitle: '.order-item-content-info-name, [class*="order-item--item-title--"], [class*="order-card--item-title--"]',
  /** The "View orders" button under the list, which loads the next page. */
  viewMore: '.order-more button',
  /** The list's own frame: present even when the merchant has no orders at all. */
  listFrame: '.order-wrap, .order-main, [class*="order-list--wrap--"]',
} as const;

/**
 * The order detail page (/p/order/detail.html). Authored from the detail API's blocks
 * (detail_order_status_block, detail_simple_order_info_component, detail_product_block,
 * detail_order_price_block), whose names the rendered page keeps.
 */
export const ORDER_DETAIL = {
  root: '.order-detail, [class*="order-detail--wrap--"]',
  statusTitle: '.order-status-title, [class*="order-status--title--"]',
  /** "Title: value" rows of the order info block ("Order placed on", "Paid on", …). */
  infoRows: '.order-detail-info-item, [class*="order-info--item--"]',
  infoTitle: '.order-detail-info-title, [class*="order-info--title--"]',
  infoValue: '.order-detail-info-value, [class*="order-info--value--"]',
  storeName: '.order-detail-store-name, [class*="order-store--name--"]',
  item: '.order-detail-item, [class*="order-product--item--"]',
  itemTitle: '.order-detail-item-title, [class*="order-product--title--"]',
  itemQuantity: '.order-detail-item-quantity, [class*="order-product--quantity--"]',
  total: '.order-price-total .order-price-value, [class*="order-price--total--"] [class*="order-price--value--"]',
  trackingNumber: '.order-track-number, [class*="order-track--number--"]',
  /** English row titles, as the real detail API names them (orderCreatTimeTile, payTimeTitle, …). */
  placedOnLabel: /^Order placed on$/i,
  paidOnLabel: /^Paid on$/i,
  shippedOnLabel: /^Shipment completed on$/i,
  completedOnLabel: /^Order completed on$/i,
  orderIdLabel: /^(?:Ref\.? Number|Order ID|Order number)$/i,
} as const;

/**
 * The tracking page (/p/tracking/index.html). Its data arrives through mtop.ae.ld.querydetail;
 * the DOM is the fallback. Class names follow the page's hashed `logistic-info--…` blocks.
 */
export const TRACKING = {
  package: '[class*="logistic-info--wrap"]',
  trackingNumber: '[class*="logistic-info--mailNo"]',
  carrier: '[class*="logistic-info--carrier"]',
  event: '[class*="logistic-info--track-item"], li',
  eventTime: '[class*="logistic-info--track-time"]',
  eventText: '[class*="logistic-info--track-desc"]',
} as const;

/**
 * The older tracking page (track.aliexpress.com/logisticsdetail.htm?tradeId=…). Classes from
 * public scrapers of that page: a Selenium parser reading `.tracking-detail` / `.tracking-detail-n`
 * blocks with `.tracking-name .title`, `.tracking-no span` / `.tracking-no-de span`, and the
 * greasyfork userscript "AliExpress TimeCounter" (411867) reading `.ship-steps .time`.
 */
export const OLD_TRACKING = {
  package: '.tracking-detail, .tracking-detail-n',
  trackingNumber: '.tracking-no span, .tracking-no-de span',
  carrier: '.tracking-name .title',
  event: '.ship-steps li',
  eventTime: '.time',
  eventText: '.text, .desc, .info',
  eventLocation: '.location, .place',
} as const;

/** The login page (login.aliexpress.com) and the login box other pages embed. */
export const LOGIN = {
  /** Alibaba's "havana" login form, seen in many public automation scripts. */
  form: `#fm-login-id, #fm-login-password, #login-form input[type="password"], iframe#alibaba-login-box, iframe[src*="${LOGIN_HOST}"]`,
} as const;

/**
 * The bot check ("punish" page, slider captcha), from Alibaba's published punish script: its
 * structure first (the same in every language), its words second.
 */
export const BOT_CHECK = {
  /** `<div id="baxia-punish" class="baxia-punish captcha|deny|…">`, the no-captcha slider, the feedback button. */
  structure:
    '#baxia-punish, .baxia-punish, #nocaptcha, #bx-feedback-btn, .bx-feedback-btn, input[name="x5secdata"], #nc_1_wrapper, #nc_1_n1z, .nc-container, .nc_wrapper, .baxia-dialog, #baxia-dialog-content, iframe[src*="punish"], iframe[src*="_____tmd_____"]',
  /** Titles of the punish page bundle ("captcha-title", "deny-title", "wait-title"). */
  title: /^(?:Captcha Interception|验证码拦截|Access denied|System is busy)/i,
  /**
   * The slider's label and the "unusual traffic" line in every language the reference lists; a
   * second signal only, read when the page shows no order card.
   */
  // A literal, not a RegExp built from a list: a constructor call at module level would keep every
  // selector in every bundle, the worker's included.
  text: /slide to verify|unusual traffic|desliza para verificar|deslize para verificar|glisser pour vérifier|zum verifizieren bitte schieben|scorri per verificare|veeg om te verifiëren|przesuń, aby zweryfikować|doğrulamak için lütfen kaydırın|пройдите, чтобы проверить|スライドして確認してください|밀어서 확인하기|החליקו לאימות|مرر للتحقق|trượt để xác minh|กรุณาเลื่อนเพื่อยืนยัน|ungewöhnlicher datenverkehr erkannt|se detectó tráfico inusual|trafic inhabituel détecté|rilevato traffico insolito|ongebruikelijk verkeer gedetecteerd|обнаружен необычный трафик|olağandışı trafik algılandı|wykryto nietypowy ruch/iu,
} as const;
