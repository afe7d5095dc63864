/**
 * A virtualized list's arithmetic. Every row's height follows from its data (fixed-height lines,
 * see assets/ui.css), so 5,000 rows are laid out without rendering or measuring any of them.
 */
import type { Entry } from './order-list';

/** Keep in step with .row and .line in assets/ui.css. */
export const LINE_PX = 20;
export const HEAD_PX = 26;
export const ROW_PADDING_PX = 13;
/** Reasons beyond this many are summed up as "+N more" on the last line. */
export const MAX_REASON_LINES = 2;

/** How many lines a row needs below its head line. */
export function bodyLines(entry: Entry): number {
  if (entry.type === 'captured') return 1 + entry.captured.order.packages.length;
  const { order, reasons } = entry;
  let lines = Math.min(reasons.length, MAX_REASON_LINES);
  if (order.placingError) lines += 1;
  if (order.aliOrders.length === 0) return lines + 1; // "not placed to AliExpress yet"
  for (const ali of order.aliOrders) {
    lines += 1;
    // A package line, and its last event below it when the carrier has said anything.
    for (const pkg of ali.packages) lines += pkg.lastEventAt ? 2 : 1;
  }
  return lines;
}

export function rowHeight(entry: Entry): number {
  return ROW_PADDING_PX + HEAD_PX + bodyLines(entry) * LINE_PX;
}

/** offsets[i] is where row i starts; offsets[n] is the whole list's height. */
export function rowOffsets(heights: readonly number[]): Float64Array {
  const offsets = new Float64Array(heights.length + 1);
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i]! + heights[i]!;
  return offsets;
}

/** The rows [start, end) that intersect the viewport widened by `overscanPx` on both sides. */
export function visibleRange(offsets: Float64Array, scrollTop: number, viewportPx: number, overscanPx: number): { start: number; end: number } {
  const n = offsets.length - 1;
  if (n <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop - overscanPx);
  const bottom = scrollTop + viewportPx + overscanPx;
  // The last row starting at or above `top`.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= top) lo = mid;
    else hi = mid - 1;
  }
  let end = lo;
  while (end < n && offsets[end]! < bottom) end++;
  return { start: lo, end: Math.max(end, lo + 1) };
}
