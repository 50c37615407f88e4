import { murmur2, partitionForKey } from './partitioner';

describe('murmur2', () => {
  // Kafka's UtilsTest.testMurmur2 (org.apache.kafka.common.utils).
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %j as the Java client does', (input, hash) => {
    expect(murmur2(Buffer.from(input))).toBe(hash);
  });

  it('hashes the empty input to the seed-only value', () => {
    expect(murmur2(new Uint8Array(0))).toBe(275646681);
  });
});

describe('partitionForKey', () => {
  it('takes the positive part of the hash modulo the partition count', () => {
    // (-790332482 & 0x7fffffff) = 1357151166
    expect(partitionForKey('foobar', 10)).toBe(6);
    expect(partitionForKey('foobar', 50)).toBe(16);
    expect(partitionForKey('foobar', 1)).toBe(0);
  });

  it('hashes a string key as its UTF-8 bytes', () => {
    expect(partitionForKey('dsv:ünïcode ✓', 7)).toBe(partitionForKey(Buffer.from('dsv:ünïcode ✓', 'utf8'), 7));
  });

  it('refuses a partition count that is not a positive integer', () => {
    expect(() => partitionForKey('k', 0)).toThrow(RangeError);
    expect(() => partitionForKey('k', 1.5)).toThrow(RangeError);
  });
});
