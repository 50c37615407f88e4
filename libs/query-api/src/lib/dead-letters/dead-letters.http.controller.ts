import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, RequireRoles } from '@prov/http-service';
import type { DeadLetterStore } from '@prov/lineage-store';
import { deadLetterPage } from './dead-letter-page';
import { DeadLettersRequest } from './dead-letters.request';

export const DEAD_LETTER_STORE = Symbol('DeadLetterStore');

/**
 * The messages the projector refused, as folded from the dead-letter topic:
 * for auditors, as each keeps the first bytes of what was sent.
 */
@ApiTags('dead letters')
@RequireRoles('auditor')
@Controller('v1/dead-letters')
export class DeadLettersHttpController {
  constructor(@Inject(DEAD_LETTER_STORE) private readonly store: DeadLetterStore) {}

  /** The refused messages, newest first, a page at a time: why, where, and their first 256 bytes. */
  @ApiAnswer(200, 'DeadLetterPage', 'A page of dead letters, newest first')
  @Get()
  list(@Query() query: DeadLettersRequest) {
    return deadLetterPage(this.store, {
      reason: query.reason,
      topic: query.topic,
      cursor: query.cursor,
      limit: query.limit ?? 100,
    });
  }
}
