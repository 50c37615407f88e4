import { predictionHours } from './prediction-hours';

describe('predictionHours', () => {
  it('counts each prediction in the UTC hour of its own time, earliest hour first', () => {
    expect(
      predictionHours([
        '2026-11-05T11:59:59.999Z',
        '2026-11-05T10:00:00.000Z',
        '2026-11-05T10:59:59.999Z',
        '2026-11-05T13:30:00+02:00',
        '2026-11-06T00:00:00.000Z',
      ]),
    ).toEqual([
      { hour: '2026-11-05T10', count: 2 },
      { hour: '2026-11-05T11', count: 2 },
      { hour: '2026-11-06T00', count: 1 },
    ]);
  });

  it('has no hour for no prediction', () => {
    expect(predictionHours([])).toEqual([]);
  });
});
