/** Code-unit order, the order the view store sorts strings in (locale-free, so every process agrees). */
export function codeUnitOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
