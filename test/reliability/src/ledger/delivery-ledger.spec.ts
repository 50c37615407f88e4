import { DeliveryEvidence, DeliveryLedger } from './delivery-ledger';

const evidence = (log: Record<string, number>, views?: string[]): DeliveryEvidence => ({
  logCounts: new Map(Object.entries(log)),
  ...(views ? { viewIds: new Set(views) } : {}),
});

describe('DeliveryLedger.reconcile', () => {
  it('finds nothing lost or duplicated when every acknowledged id is on the log once and in the views', () => {
    const ledger = new DeliveryLedger();
    ledger.record({ ids: ['a', 'b'], acknowledged: true, answer: 201 });
    ledger.record({ ids: ['c'], acknowledged: false, answer: 503 });
    const result = ledger.reconcile(evidence({ a: 1, b: 1 }, ['a', 'b']));
    expect(result).toEqual({
      requests: { sent: 2, acknowledged: 1, failed: 1 },
      ids: { sent: 3, acknowledged: 2, failed: 1 },
      lostFromLog: 0,
      lostFromViews: 0,
      duplicatedInLog: 0,
      failedButRecorded: { requests: 0, ids: 0 },
      partiallyRecordedRequests: 0,
      viewsDisagreeWithLog: 0,
      failures: { '503': 1 },
    });
  });

  it('counts an acknowledged id missing from the log and from the views as lost', () => {
    const ledger = new DeliveryLedger();
    ledger.record({ ids: ['a', 'b', 'c'], acknowledged: true, answer: 201 });
    const result = ledger.reconcile(evidence({ a: 1, b: 1 }, ['a']));
    expect(result.lostFromLog).toBe(1);
    expect(result.lostFromViews).toBe(2);
    expect(result.viewsDisagreeWithLog).toBe(1);
  });

  it('counts ids carried by two events as duplicated, acknowledged or not', () => {
    const ledger = new DeliveryLedger();
    ledger.record({ ids: ['a'], acknowledged: true, answer: 201 });
    ledger.record({ ids: ['b'], acknowledged: false, answer: 'TimeoutError' });
    expect(ledger.reconcile(evidence({ a: 2, b: 3 }, ['a', 'b'])).duplicatedInLog).toBe(2);
  });

  it('tells a refused request written whole after the timeout from one written in part', () => {
    const ledger = new DeliveryLedger();
    ledger.record({ ids: ['a', 'b'], acknowledged: false, answer: 503 });
    ledger.record({ ids: ['c', 'd'], acknowledged: false, answer: 'ECONNRESET' });
    const result = ledger.reconcile(evidence({ a: 1, b: 1, c: 1 }, ['a', 'b', 'c']));
    expect(result.failedButRecorded).toEqual({ requests: 1, ids: 2 });
    expect(result.partiallyRecordedRequests).toBe(1);
    expect(result.failures).toEqual({ '503': 1, ECONNRESET: 1 });
  });

  it('judges the log alone when no views were built', () => {
    const ledger = new DeliveryLedger();
    ledger.record({ ids: ['a', 'b'], acknowledged: true, answer: 201 });
    expect(ledger.reconcile(evidence({ a: 1 }))).toMatchObject({
      lostFromLog: 1,
      lostFromViews: null,
      viewsDisagreeWithLog: null,
    });
  });

  it('lists the ids it sent and those acknowledged', () => {
    const ledger = new DeliveryLedger();
    ledger.record({ ids: ['a'], acknowledged: true, answer: 200 });
    ledger.record({ ids: ['b'], acknowledged: false, answer: 500 });
    expect(ledger.allIds()).toEqual(['a', 'b']);
    expect(ledger.acknowledgedIds()).toEqual(['a']);
  });
});
