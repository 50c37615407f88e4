import { ApiAnswer } from '@prov/http-service';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FieldCondition } from '@prov/projections';
import { ActiveViews } from '../views/active-views';
import { AlertsRequest } from './alerts.request';

const MAX_ALERTS = 1000;

@ApiTags('alerts')
@Controller('v1/alerts')
export class AlertsHttpController {
  constructor(private readonly views: ActiveViews) {}

  /** Open lineage alerts, oldest first: gaps, digest mismatches, revoked or flagged lineage. */
  @ApiAnswer(200, 'AlertsAnswer', 'Open alerts, oldest first')
  @Get()
  async list(@Query() query: AlertsRequest) {
    const where: Record<string, FieldCondition> = {};
    if (query.type) where['type'] = query.type;
    // Alert times are the recorded times of the events behind them: ISO strings, compared as strings.
    if (query.since) where['firstRecordedAt'] = { gte: new Date(query.since).toISOString() };
    const alerts = await (
      await this.views.current()
    ).find('alerts', { where, sort: [['firstRecordedAt', 1]], limit: MAX_ALERTS + 1 });
    return { alerts: alerts.slice(0, MAX_ALERTS), truncated: alerts.length > MAX_ALERTS };
  }
}
