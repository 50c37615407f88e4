import type { LineageComparison } from '@prov/lineage-queries';

/** A piece of a shown value; `changed` pieces are highlighted. */
export interface Segment {
  text: string;
  changed: boolean;
}

export interface DifferenceRow {
  path: string;
  left: Segment[];
  right: Segment[];
}

/** How a compared value reads on screen: absent as a dash, text as is, anything else as JSON. */
export function shown(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The compare view's rows: each difference the gateway found, with the part
 * of each side that differs marked, so a changed digit in a long digest or
 * seed stands out rather than the whole value.
 */
export function differenceRows(comparison: LineageComparison): DifferenceRow[] {
  return comparison.differences.map(({ path, left, right }) => {
    const [l, r] = [shown(left), shown(right)];
    return { path, ...highlight(l, r) };
  });
}

/** Marks what lies between the two texts' common start and common end. */
export function highlight(left: string, right: string): { left: Segment[]; right: Segment[] } {
  let start = 0;
  while (start < left.length && start < right.length && left[start] === right[start]) start++;
  let end = 0;
  while (
    end < left.length - start &&
    end < right.length - start &&
    left[left.length - 1 - end] === right[right.length - 1 - end]
  )
    end++;
  const split = (text: string): Segment[] =>
    [
      { text: text.slice(0, start), changed: false },
      { text: text.slice(start, text.length - end), changed: true },
      { text: text.slice(text.length - end), changed: false },
    ].filter((s) => s.text !== '');
  return { left: split(left), right: split(right) };
}
