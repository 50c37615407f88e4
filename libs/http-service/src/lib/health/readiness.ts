/** Something the service needs before it can take requests (the event log, the store). */
export interface ReadinessCheck {
  name: string;
  /** Resolves when ready; rejects (or resolves false) when not. */
  check(): Promise<boolean>;
}

export const READINESS_CHECKS = Symbol('ReadinessChecks');
