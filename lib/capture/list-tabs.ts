/**
 * Finding the order list's tab by its title. No source shows the tab bar's markup, only its data
 * (`statusTabList`: a code and a title in the page's language), so the tab is whatever the page
 * shows with exactly that title, outside the order cards (a card's status can read "Completed"
 * too) and outside the "View orders" button.
 */
import { ORDER_LIST } from '../aliexpress/selectors';
import { cleanText } from '../aliexpress/text';

/** The innermost element showing `title` alone, outside the cards; undefined when the page shows none. */
export function findListTab(root: ParentNode, title: string): HTMLElement | undefined {
  const want = cleanText(title);
  if (want === '') return undefined;
  const outside = `${ORDER_LIST.card}, ${ORDER_LIST.viewMore}`;
  const matches = Array.from(root.querySelectorAll<HTMLElement>('body *')).filter(
    (el) => !['SCRIPT', 'STYLE', 'TEMPLATE'].includes(el.tagName) && cleanText(el.textContent) === want && !el.closest(outside),
  );
  // The innermost: a wrapper around the tab shows the same text, and a click on it would miss.
  return matches.find((el) => !matches.some((other) => other !== el && el.contains(other)));
}
