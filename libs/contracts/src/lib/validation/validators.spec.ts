import { isTimestamp } from './validators';

describe('isTimestamp (RFC 3339 date-time with an offset)', () => {
  it.each([
    '2026-01-31T12:00:00Z',
    '2026-01-31T12:00:00.123456789Z',
    '2024-02-29T23:59:59+05:30',
    '2026-12-31T00:00:00-12:00',
  ])('takes %s', (value) => expect(isTimestamp(value)).toBe(true));

  it.each([
    ['a day February does not have', '2026-02-30T00:00:00Z'],
    ['February 29 of a common year', '2026-02-29T00:00:00Z'],
    ['the 31st of a 30-day month', '2026-04-31T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['month and day 0', '0000-00-00T00:00:00Z'],
    ['hour 24', '2024-02-29T24:00:00Z'],
    ['minute 60', '2026-01-01T00:60:00Z'],
    ['second 60', '2026-01-01T00:00:60Z'],
    ['an offset of 24 hours', '2026-01-01T00:00:00+24:00'],
    ['no seconds', '2026-01-01T00:00Z'],
    ['no offset', '2026-01-01T00:00:00'],
    ['a date alone', '2026-01-01'],
    ['not a string', 1767225600000],
  ])('refuses %s', (_, value) => expect(isTimestamp(value)).toBe(false));
});
