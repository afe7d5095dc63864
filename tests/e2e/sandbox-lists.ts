/** What the sandbox's three order list pages show, read from the files it serves (not through the extension). */
import { readFileSync } from 'node:fs';

const LIST_PAGES = [
  new URL('../fixtures/aliexpress-real/mtop-order-list-page1.json', import.meta.url),
  new URL('../fixtures/pages/order-list-page2.json', import.meta.url),
  new URL('../fixtures/pages/order-list-page3.json', import.meta.url),
];

export interface ListedOrder {
  id: string;
  statusText: string;
}

/** The orders of the sandbox's three list pages, in list order. */
export function listedOrders(): ListedOrder[][] {
  return LIST_PAGES.map((file) => {
    const body = JSON.parse(readFileSync(file, 'utf8'));
    // Display order: the list body's children in the hierarchy (all three pages share the body id).
    return (body.data.hierarchy.structure.pc_om_list_body_109702 as string[])
      .map((k) => body.data.data[k])
      .filter((c) => c?.tag === 'pc_om_list_order')
      .map((c) => ({ id: c.fields.orderId, statusText: c.fields.statusText.trim() }));
  });
}
