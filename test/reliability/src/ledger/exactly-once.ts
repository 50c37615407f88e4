import type { Reconciliation } from './delivery-ledger';

/** Every acknowledged prediction once on the log and in the views, and no request recorded in part. */
export function expectExactlyOnce(result: Reconciliation): void {
  expect(result.ids.acknowledged).toBeGreaterThan(0);
  expect(result).toMatchObject({
    lostFromLog: 0,
    lostFromViews: 0,
    duplicatedInLog: 0,
    partiallyRecordedRequests: 0,
    viewsDisagreeWithLog: 0,
  });
}
