import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { rowOffsets, visibleRange } from '@/lib/presentation/virtual';

/** Rows drawn beyond the viewport, so a fast scroll or Tab into the next row finds it rendered. */
const OVERSCAN_PX = 600;

interface Props<T> {
  items: readonly T[];
  heightOf: (item: T) => number;
  keyOf: (item: T) => string;
  render: (item: T, index: number) => ComponentChildren;
  /** The rows in view changed (to load what only they need). */
  onRange?: (items: readonly T[]) => void;
  label: string;
}

/**
 * A list that renders only the rows in and near view, absolutely placed at offsets computed from
 * their data. Screen readers still get each row's position in the whole list (aria-setsize).
 */
export function VirtualList<T>({ items, heightOf, keyOf, render, onRange, label }: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const offsets = useMemo(() => rowOffsets(items.map(heightOf)), [items]);
  const { start, end } = visibleRange(offsets, scrollTop, viewport, OVERSCAN_PX);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setViewport(el.clientHeight || 600);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight || 600));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A new tab or search starts at the top; otherwise the old scroll position could point past the end.
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [items]);

  const shown = items.slice(start, end);
  useLayoutEffect(() => onRange?.(shown), [items, start, end]);

  return (
    <div class="scroller" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul class="orders" aria-label={label} style={{ height: `${offsets[items.length]}px` }}>
        {shown.map((item, i) => (
          <li
            key={keyOf(item)}
            class="row"
            aria-setsize={items.length}
            aria-posinset={start + i + 1}
            style={{ top: `${offsets[start + i]}px`, height: `${offsets[start + i + 1]! - offsets[start + i]!}px` }}
          >
            {render(item, start + i)}
          </li>
        ))}
      </ul>
    </div>
  );
}
