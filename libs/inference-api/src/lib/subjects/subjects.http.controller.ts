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
  NotFoundError,
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
   * Erasing again destroys what was sealed since; when nothing was, it
   * answers the earlier erasure and records nothing.
   */
  @ApiAnswer(201, 'SubjectErased', "The subject's keys were destroyed and the erasure recorded")
  @ApiAnswer(200, 'SubjectErased', 'The subject was erased before and has no key since; nothing was recorded')
  @ApiRefusal(404, 'No value about this data subject was ever sealed')
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
    const { reason } = plain(body);
    const keyIds = await this.sealing.erase(dataSubject);
    const pseudonym = await this.sealing.pseudonym(dataSubject);
    if (keyIds.length === 0) return this.earlierErasure(dataSubject, pseudonym, reply);
    const published = await this.publisher.publish(
      { type: 'privacy.subject.erased', payload: { dataSubject: pseudonym, keyIds, reason } },
      principal,
    );
    void reply.status(201);
    return {
      dataSubject,
      pseudonym,
      keysDestroyed: keyIds,
      erasedAt: published.event.recordedAt,
      eventId: published.event.eventId,
    };
  }

  /** A subject with no key left: erased before (200), or never seen (404). */
  private async earlierErasure(dataSubject: string, pseudonym: string, reply: FastifyReply) {
    const { known, destroyed } = await (this.sealing as SubjectSealing).history(dataSubject);
    if (!known || destroyed.length === 0) {
      throw new NotFoundError(`no value about the data subject ${JSON.stringify(dataSubject)} was ever sealed`);
    }
    void reply.status(200);
    return {
      dataSubject,
      pseudonym,
      keysDestroyed: destroyed.map((d) => d.keyId),
      erasedAt: destroyed.map((d) => d.destroyedAt).sort()[destroyed.length - 1],
    };
  }
}
