import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, the zlib/gzip one) of the record bytes. Node's native
 * `zlib.crc32` exists from Node 20.15; the workspace supports 20.11, so older
 * runtimes get the table-driven version of the same checksum (identical
 * results, files stay interchangeable).
 */
export function crc32Table(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    crc = TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

export const crc32: (data: Uint8Array) => number = native ? (data) => native(data) : crc32Table;
