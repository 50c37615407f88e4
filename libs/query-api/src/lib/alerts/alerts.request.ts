import { IsIn, IsOptional } from 'class-validator';
import { IsTimestamp } from '@prov/contracts';
import {
  DEPLOYMENT_ALERT_TYPES,
  LINEAGE_ALERT_TYPES,
  PREDICTION_ALERT_TYPES,
  RECORD_ALERT_TYPES,
} from '@prov/projections';

export const ALERT_TYPES = [
  ...PREDICTION_ALERT_TYPES,
  ...LINEAGE_ALERT_TYPES,
  ...RECORD_ALERT_TYPES,
  ...DEPLOYMENT_ALERT_TYPES,
];

export class AlertsRequest {
  @IsOptional() @IsIn(ALERT_TYPES) type?: string;
  /** Alerts first raised at or after this time (RFC 3339, e.g. 2026-11-04T12:00:00Z). */
  @IsOptional() @IsTimestamp() since?: string;
}
