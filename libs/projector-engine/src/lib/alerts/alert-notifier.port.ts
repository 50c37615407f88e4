import type { AlertDocument } from '@prov/projections';

/** Told of every alert the live generation raises, once each; must not block the projection. */
export interface AlertNotifier {
  notify(alerts: readonly AlertDocument[]): void;
  /** Resolves once every alert told so far has been delivered or given up on. */
  idle(): Promise<void>;
}
