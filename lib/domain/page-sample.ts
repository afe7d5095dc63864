/**
 * How much of a page the readers did not recognise is kept for the page report: large enough for
 * the order list's data, small enough for a chat message or an issue. The content script cuts
 * there, the message schema bounds it, the cache and the report keep no more. Zod-free.
 */
export const MAX_PAGE_SAMPLE_CHARS = 200_000;
