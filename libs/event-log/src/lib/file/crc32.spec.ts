import { randomBytes } from 'node:crypto';
import { crc32, crc32Table } from './crc32';

describe('crc32', () => {
  it('gives the CRC-32 check value for "123456789"', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32Table(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('gives the same checksum with or without native zlib support', () => {
    for (const size of [0, 1, 7, 1_000, 65_537]) {
      const data = randomBytes(size);
      expect(crc32Table(data)).toBe(crc32(data));
    }
  });
});
