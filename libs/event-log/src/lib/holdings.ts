/**
 * The records a topic holds, from the offsets of its partitions: each one's
 * next offset to be written minus its earliest (offsets are 64-bit decimal
 * strings, summed as such).
 */
export function recordsHeld(offsets: ReadonlyArray<{ earliest: string; latest: string }>): number {
  return Number(offsets.reduce((sum, { earliest, latest }) => sum + BigInt(latest) - BigInt(earliest), 0n));
}
