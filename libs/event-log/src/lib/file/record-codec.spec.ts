import { decodeRecord, encodeMessage, encodeRecords, inspectRecord, MIN_RECORD_BYTES } from './record-codec';

describe('record codec', () => {
  const encode = () =>
    encodeRecords(
      [
        encodeMessage({ key: 'k1', value: Buffer.from([0, 1, 255]), headers: { a: 'b' } }),
        encodeMessage({ key: 'k2', value: Buffer.alloc(0) }),
      ],
      41,
      1_700_000_000_123,
    );

  it('decodes what it encodes, with offsets counted from the first', () => {
    const { buffer, starts } = encode();

    expect(starts).toEqual([0, buffer.readUInt32BE(0) + 4]);
    expect(decodeRecord(buffer, starts[0], 't', 3)).toEqual({
      topic: 't',
      partition: 3,
      offset: '41',
      key: 'k1',
      value: Buffer.from([0, 1, 255]),
      headers: { a: 'b' },
      timestamp: 1_700_000_000_123,
    });
    expect(decodeRecord(buffer, starts[1], 't', 3)).toMatchObject({ offset: '42', key: 'k2', headers: {} });
    expect(inspectRecord(buffer, starts[1], buffer.length, { min: 42, max: 42 })).toEqual({
      size: buffer.length - starts[1],
      offset: 42,
      indexInWrite: 1,
    });
  });

  it('names what is wrong with bytes that are not the expected record', () => {
    const { buffer, starts } = encode();
    const flipped = Buffer.from(buffer);
    flipped[starts[1] - 1] ^= 1;

    expect(inspectRecord(buffer, 0, 5, { min: 41, max: 41 })).toBe('partial record header');
    expect(inspectRecord(buffer, 0, starts[1] - 1, { min: 41, max: 41 })).toMatch(/overruns/);
    expect(inspectRecord(flipped, 0, buffer.length, { min: 41, max: 41 })).toBe('CRC mismatch');
    expect(inspectRecord(buffer, 0, buffer.length, { min: 40, max: 40 })).toMatch(/offset 41 where 40 was expected/);
    expect(inspectRecord(Buffer.alloc(MIN_RECORD_BYTES), 0, MIN_RECORD_BYTES, { min: 0, max: 0 })).toMatch(
      /invalid record length/,
    );
  });

  it('keeps a header named __proto__ as a header', () => {
    const { buffer } = encodeRecords(
      [encodeMessage({ key: 'k', value: Buffer.alloc(1), headers: JSON.parse('{"__proto__":"x"}') })],
      0,
      0,
    );

    expect(Object.keys(decodeRecord(buffer, 0, 't', 0).headers)).toEqual(['__proto__']);
  });
});
