/**
 * Which rows of a long scrolling list are rendered (issue 15: 1,000 flags listed, no keystroke over 16 ms): the rows
 * on screen and a few either side, in normal flow between two spacers that stand for the rows not rendered. Every
 * row is taken to be as tall as the rendered ones measure on average (the list's rows share one layout), so a short
 * list renders every row and looks exactly as it did; a long one renders a screenful whatever its length.
 */
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

/** Rows rendered beyond each edge of the visible area: a fast scroll or an arrow key finds them there. */
const OVERSCAN = 8;
/** Before the first measurement: about a row of the flag list. */
const FIRST_GUESS_PX = 96;

export interface RowWindow {
  /** Render rows [first, last). */
  first: number;
  last: number;
  /** Heights of the spacers standing for the rows before `first` and from `last`. */
  beforePx: number;
  afterPx: number;
  onScroll: () => void;
  /** Scrolls row `i` into view, so the next render has it. */
  reveal: (i: number) => void;
}

export function useRowWindow(count: number, listRef: RefObject<HTMLElement | null>): RowWindow {
  const [view, setView] = useState({ top: 0, height: 0 });
  const [slot, setSlot] = useState(FIRST_GUESS_PX);
  const read = useCallback(() => {
    const el = listRef.current;
    if (el)
      setView((v) =>
        v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight },
      );
  }, [listRef]);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    read();
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(read) : null;
    ro?.observe(el);
    return () => ro?.disconnect();
  }, [listRef, read]);

  const height = view.height || 10 * slot;
  // Clamped to the list's end: a new pitch can leave the scroll position past it until the browser clamps it too,
  // and a window past the end would unmount every row (the focused one with them).
  const top = Math.min(view.top, Math.max(0, count * slot - height));
  const first = Math.min(count, Math.max(0, Math.floor(top / slot) - OVERSCAN));
  const last = Math.min(count, Math.ceil((top + height) / slot) + OVERSCAN);

  // The row pitch (height and gap), measured on the rendered rows when they change — not on every render: the read
  // forces a layout, which a keystroke that re-renders the same rows must not pay for.
  useLayoutEffect(() => {
    const rows = listRef.current?.querySelectorAll<HTMLElement>('[role=option]');
    if (!rows || rows.length < 2) return;
    const pitch = (rows[rows.length - 1].offsetTop - rows[0].offsetTop) / (rows.length - 1);
    if (pitch > 0 && Math.abs(pitch - slot) > 0.5) setSlot(pitch);
  }, [first, last, count, listRef]); // not `slot`: a new pitch is what this sets

  const reveal = useCallback(
    (i: number) => {
      const el = listRef.current;
      if (!el) return;
      const top = i * slot;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + slot > el.scrollTop + el.clientHeight) el.scrollTop = top + slot - el.clientHeight;
      read();
    },
    [listRef, slot, read],
  );
  return { first, last, beforePx: first * slot, afterPx: (count - last) * slot, onScroll: read, reveal };
}
