import { IsIn, IsOptional, Matches } from 'class-validator';
import { LINEAGE_ALERT_TYPES, PREDICTION_ALERT_TYPES, RECORD_ALERT_TYPES } from '@prov/projections';

export const ALERT_TYPES = [...PREDICTION_ALERT_TYPES, ...LINEAGE_ALERT_TYPES, ...RECORD_ALERT_TYPES];

export class AlertsRequest {
  @IsOptional() @IsIn(ALERT_TYPES) type?: string;
  /** Alerts first raised at or after this time (ISO 8601). */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, {
    message: 'since must be an ISO 8601 UTC time such as 2026-11-04T12:00:00Z',
  })
  since?: string;
}
