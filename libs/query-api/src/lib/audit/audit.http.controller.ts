import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ConflictError, InvalidRequestError, NotFoundError, RequireRoles } from '@prov/http-service';
import { LineageStore, ProofFailure, consistencyProofOf, inclusionProofOf } from '@prov/lineage-store';
import { ConsistencyProofRequest, InclusionProofRequest } from './audit.requests';

export const AUDIT_STORE = Symbol('AuditStore');

const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The tamper-evident audit log: signed checkpoints of each partition's
 * Merkle log, an event's inclusion proof, and the consistency of two
 * checkpoints. Proofs are for auditors (DESIGN.md section 6).
 */
@ApiTags('audit')
@RequireRoles('auditor')
@Controller('v1/audit')
export class AuditHttpController {
  constructor(@Inject(AUDIT_STORE) private readonly store: LineageStore) {}

  /** The latest signed checkpoint of every log. */
  @Get('checkpoints/latest')
  async latest() {
    return { checkpoints: await this.store.auditLog.latestCheckpoints() };
  }

  /** Every checkpoint of one log, oldest first. */
  @Get('logs/:logId/checkpoints')
  async checkpoints(@Param('logId') logId: string) {
    const checkpoints = await this.store.auditLog.checkpoints(logId);
    if (checkpoints.length === 0) throw new NotFoundError(`no checkpoint of ${logId} is signed`);
    return { checkpoints };
  }

  /** RFC 9162 inclusion proof of an event in its log, at the latest checkpoint or at `treeSize`. */
  @Get('events/:eventId/proof')
  async proof(@Param('eventId') eventId: string, @Query() query: InclusionProofRequest) {
    if (!EVENT_ID.test(eventId))
      throw new InvalidRequestError([{ path: 'eventId', problem: 'must be an event id (a UUID)' }]);
    return answer(await inclusionProofOf(this.store.auditLog, eventId, query.treeSize), `event ${eventId}`);
  }

  /** RFC 9162 consistency proof: the checkpoint of `to` leaves extends the one of `from`. */
  @Get('consistency')
  async consistency(@Query() query: ConsistencyProofRequest) {
    if (query.from > query.to)
      throw new InvalidRequestError([{ path: 'from', problem: 'must not be greater than to' }]);
    return answer(await consistencyProofOf(this.store.auditLog, query.log, query.from, query.to), query.log);
  }
}

function answer<T extends object>(result: T | ProofFailure, subject: string): T {
  if (!('kind' in result)) return result;
  switch (result.kind) {
    case 'unknown-event':
      throw new NotFoundError(`${subject} is not in the audit log (unknown, refused, or not read yet)`);
    case 'not-checkpointed':
      throw new ConflictError(
        `${subject} is leaf ${result.leaf.index} of ${result.leaf.logId}, which no signed checkpoint covers yet; ask again after the next one`,
      );
    case 'unknown-checkpoint':
      throw new NotFoundError(`no checkpoint of ${result.logId} at tree size ${result.treeSize} is signed`);
    default:
      throw new NotFoundError(`${subject} has no audit log`);
  }
}
