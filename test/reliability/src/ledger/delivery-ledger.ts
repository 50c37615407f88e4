/**
 * What a client saw of its writes: every request, the ids it carried
 * (prediction ids, or the subject of a training or registry write) and
 * whether the service acknowledged it (2xx) or not (an error status, a reset
 * connection, a timeout).
 */
export interface SentRequest {
  ids: readonly string[];
  acknowledged: boolean;
  /** The HTTP status, or the network error's name. */
  answer: number | string;
}

/** Where the ids ended up: events per id on the log, and the ids the views hold. */
export interface DeliveryEvidence {
  /** For every id: the number of events on the log that carry it (absent: none). */
  logCounts: ReadonlyMap<string, number>;
  /** The ids the views hold a record of; absent when no projector ran (the embedded log alone). */
  viewIds?: ReadonlySet<string>;
}

export interface Reconciliation {
  requests: { sent: number; acknowledged: number; failed: number };
  ids: { sent: number; acknowledged: number; failed: number };
  /** Acknowledged ids with no event on the log. */
  lostFromLog: number;
  /** Acknowledged ids the views do not hold (null without views). */
  lostFromViews: number | null;
  /** Ids (acknowledged or not) carried by more than one event on the log. */
  duplicatedInLog: number;
  /**
   * Unacknowledged requests whose ids are on the log whole: the service gave
   * up waiting for the broker, which wrote them afterwards (at-least-once, and
   * the ids are idempotent). They are never partial.
   */
  failedButRecorded: { requests: number; ids: number };
  /** Unacknowledged requests of which some ids are recorded and some not: must never happen. */
  partiallyRecordedRequests: number;
  /** Ids on the log that the views lack, or that the views hold without a log event: must be zero (null without views). */
  viewsDisagreeWithLog: number | null;
  /** The answers of the unacknowledged requests, by answer. */
  failures: Record<string, number>;
}

/** A client's record of its requests; it reconciles them against the log and the views after a fault. */
export class DeliveryLedger {
  private readonly sent: SentRequest[] = [];

  record(request: SentRequest): void {
    this.sent.push(request);
  }

  get requests(): readonly SentRequest[] {
    return this.sent;
  }

  /** Every id the client ever sent (for reading the evidence back). */
  allIds(): string[] {
    return this.sent.flatMap((r) => r.ids);
  }

  acknowledgedIds(): string[] {
    return this.sent.filter((r) => r.acknowledged).flatMap((r) => r.ids);
  }

  reconcile(evidence: DeliveryEvidence): Reconciliation {
    const recorded = (id: string) => (evidence.logCounts.get(id) ?? 0) > 0;
    const views = evidence.viewIds;
    const acknowledged = this.sent.filter((r) => r.acknowledged);
    const failed = this.sent.filter((r) => !r.acknowledged);
    const ackIds = acknowledged.flatMap((r) => r.ids);
    const failedWhole = failed.filter((r) => r.ids.length > 0 && r.ids.every(recorded));
    const sentIds = new Set(this.allIds());
    const failures: Record<string, number> = {};
    for (const r of failed) failures[String(r.answer)] = (failures[String(r.answer)] ?? 0) + 1;
    return {
      requests: { sent: this.sent.length, acknowledged: acknowledged.length, failed: failed.length },
      ids: {
        sent: sentIds.size,
        acknowledged: ackIds.length,
        failed: failed.reduce((n, r) => n + r.ids.length, 0),
      },
      lostFromLog: ackIds.filter((id) => !recorded(id)).length,
      lostFromViews: views ? ackIds.filter((id) => !views.has(id)).length : null,
      duplicatedInLog: [...sentIds].filter((id) => (evidence.logCounts.get(id) ?? 0) > 1).length,
      failedButRecorded: {
        requests: failedWhole.length,
        ids: failedWhole.reduce((n, r) => n + r.ids.length, 0),
      },
      partiallyRecordedRequests: failed.filter((r) => r.ids.some(recorded) && !r.ids.every(recorded)).length,
      viewsDisagreeWithLog: views ? [...sentIds].filter((id) => recorded(id) !== views.has(id)).length : null,
      failures,
    };
  }
}
