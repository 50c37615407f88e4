import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventLog } from '@prov/event-log';
import { ApiAnswer, RequireRoles } from '@prov/http-service';
import type { LineageStore } from '@prov/lineage-store';
import type { StatusAnswer } from '@prov/sdk';
import { LINEAGE_STORE } from '../generations/generations.http.controller';
import { readPlatformStatus } from './platform-status';

export const EVENT_LOG = Symbol('EventLog');

/** What the event log and the views hold. */
@ApiTags('status')
@RequireRoles('auditor')
@Controller('v1/status')
export class StatusController {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
  ) {}

  @ApiAnswer(
    200,
    'StatusAnswer',
    'Records per topic of the event log, documents per view of the active generation, the bytes each takes on disk, and the records the active generation has still to fold',
  )
  @Get()
  status(): Promise<StatusAnswer> {
    return readPlatformStatus(this.log, this.store);
  }
}
