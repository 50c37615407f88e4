import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { DATA_SUBJECT_PATTERN } from '@prov/contracts';
import {
  ApiAnswer,
  ApiPathParam,
  ApiRefusal,
  CurrentPrincipal,
  InvalidRequestError,
  plain,
  RequireRoles,
  UnprocessableError,
} from '@prov/http-service';
import { ProvenancePublisher } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { SUBJECT_SEALING, type SubjectSealing } from '../predictions/subject-sealing';
import { EraseSubjectRequest } from './erase-subject.request';

@ApiTags('subjects')
@Controller('v1/subjects')
@RequireRoles('data-steward')
export class SubjectsHttpController {
  constructor(
    private readonly publisher: ProvenancePublisher,
    @Inject(SUBJECT_SEALING) private readonly sealing: SubjectSealing | null,
  ) {}

  /**
   * Erases what the platform holds about a data subject: destroys the
   * subject's keys, so every value sealed with them (in events, views,
   * exports and copies) is unreadable from now on, then records the erasure.
   * The events themselves, their digests and the audit proofs are unchanged.
   * Erasing again destroys what was sealed since.
   */
  @ApiAnswer(201, 'SubjectErased', "The subject's keys were destroyed and the erasure recorded")
  @ApiRefusal(422, 'This inference service has no store for data-subject keys')
  @ApiPathParam('dataSubject', DATA_SUBJECT_PATTERN, 'The data subject')
  @Post(':dataSubject/erasure')
  async erase(
    @Param('dataSubject') dataSubject: string,
    @Body() body: EraseSubjectRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!DATA_SUBJECT_PATTERN.test(dataSubject)) {
      throw new InvalidRequestError([
        {
          path: 'dataSubject',
          problem: 'dataSubject must be a subject id of letters, digits, ".", "_", ":", "@" or "-"',
        },
      ]);
    }
    if (!this.sealing) throw new UnprocessableError('this inference service has no store for data-subject keys', []);
    const keyIds = await this.sealing.erase(dataSubject);
    const { reason } = plain(body);
    const published = await this.publisher.publish(
      { type: 'privacy.subject.erased', payload: { dataSubject, keyIds, reason } },
      principal,
    );
    void reply.status(201);
    return { dataSubject, keysDestroyed: keyIds, eventId: published.event.eventId };
  }
}
