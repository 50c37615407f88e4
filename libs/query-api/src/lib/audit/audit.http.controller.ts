import { ID_PATTERNS } from '@prov/contracts';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ApiAnswer,
  ApiPathParam,
  ApiRefusal,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  RequireRoles,
} from '@prov/http-service';
import { AuditRecord, LineageStore, ProofFailure, consistencyProofOf, inclusionProofOf } from '@prov/lineage-store';
import { ActiveViews } from '../views/active-views';
import { SealedValues } from '../views/sealed-values';
import { ApiIdParam, checkedId } from '../views/entity-id';
import { assembleBundle } from './audit-bundle.assembly';
import { BundleRequest, ConsistencyProofRequest, InclusionProofRequest, LogEventsRequest } from './audit.requests';

export const AUDIT_STORE = Symbol('AuditStore');

const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LOG_ID = /^auditlog:[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The tamper-evident audit log: signed checkpoints of each partition's
 * Merkle log, an event's inclusion proof, and the consistency of two
 * checkpoints. Proofs are for auditors (DESIGN.md section 6).
 */
@ApiTags('audit')
@RequireRoles('auditor')
@Controller('v1/audit')
export class AuditHttpController {
  constructor(
    @Inject(AUDIT_STORE) private readonly store: LineageStore,
    private readonly views: ActiveViews,
    private readonly sealed: SealedValues,
  ) {}

  /** Every log and how far it has grown. */
  @ApiAnswer(200, 'AuditLogsAnswer', 'Every audit log and its size')
  @Get('logs')
  async logs() {
    return {
      logs: (await this.store.auditLog.states()).map(({ logId, topic, partition, treeSize }) => ({
        logId,
        topic,
        partition,
        treeSize,
      })),
    };
  }

  /** The keys that signed the checkpoints and the logged events (SPKI PEM), for offline verifiers. */
  @ApiAnswer(200, 'AuditKeysAnswer', 'The keys that signed events and checkpoints')
  @Get('keys')
  async keys() {
    return { keys: await this.store.auditLog.keys() };
  }

  /** A page of a log's events as published, in log order, with their stored leaves. */
  @ApiAnswer(200, 'LogEventsPage', "A page of the log's events, in leaf order")
  @ApiPathParam('logId', ID_PATTERNS.auditLog, 'An audit log: auditlog:<topic>.p<partition>')
  @Get('logs/:logId/events')
  async logEvents(@Param('logId') logId: string, @Query() query: LogEventsRequest) {
    if (!LOG_ID.test(logId))
      throw new InvalidRequestError([{ path: 'logId', problem: 'must be an audit log id (auditlog:<name>)' }]);
    const from = query.from ?? 0;
    const limit = query.limit ?? 1000;
    const records = await this.store.auditLog.records(logId, from, limit);
    return { events: records.map(loggedEvent), next: records.length === limit ? from + limit : null };
  }

  /** One event as published, with its place in its log. */
  @ApiAnswer(200, 'LoggedEventAnswer', 'The event as published, with its place in its log')
  @ApiPathParam('eventId', EVENT_ID, 'An event id (a UUID)')
  @Get('events/:eventId')
  async event(@Param('eventId') eventId: string) {
    const record = await this.store.auditLog.recordByEventId(checkedEventId(eventId));
    if (!record)
      throw new NotFoundError(`event ${eventId} is not in the audit log (unknown, refused, or not read yet)`);
    return { eventId, ...loggedEvent(record) };
  }

  /** A prediction's audit bundle: trace, events, inclusion proofs, checkpoints and keys, to verify offline. */
  @ApiAnswer(200, 'AuditBundle', "The prediction's audit bundle, to verify offline")
  @ApiIdParam('id', 'prediction')
  @ApiRefusal(409, 'An event of the chain is not covered by a signed checkpoint yet; retry')
  @Get('predictions/:id/bundle')
  async bundle(@Param('id') id: string, @Query() query: BundleRequest) {
    const predictionId = checkedId('id', id, 'prediction');
    const bundle = await assembleBundle(
      await this.views.current(),
      this.store.auditLog,
      predictionId,
      {
        level: query.level ?? 'full',
        redacted: query.redact === 'true',
        now: new Date(),
      },
      this.sealed,
    );
    if (!('kind' in bundle)) return bundle;
    if (bundle.kind === 'unknown-prediction') throw new NotFoundError(`no prediction ${id} is recorded`);
    return answer<never>(bundle, `event ${bundle.eventId} of ${predictionId}'s chain`);
  }

  /** The latest signed checkpoint of every log. */
  @ApiAnswer(200, 'CheckpointsAnswer', 'The latest signed checkpoint of every log')
  @Get('checkpoints/latest')
  async latest() {
    return { checkpoints: await this.store.auditLog.latestCheckpoints() };
  }

  /** Every checkpoint of one log, oldest first. */
  @ApiAnswer(200, 'CheckpointsAnswer', 'Every checkpoint of the log, oldest first')
  @ApiPathParam('logId', ID_PATTERNS.auditLog, 'An audit log: auditlog:<topic>.p<partition>')
  @Get('logs/:logId/checkpoints')
  async checkpoints(@Param('logId') logId: string) {
    const checkpoints = await this.store.auditLog.checkpoints(logId);
    if (checkpoints.length === 0) throw new NotFoundError(`no checkpoint of ${logId} is signed`);
    return { checkpoints };
  }

  /** RFC 9162 inclusion proof of an event in its log, at the latest checkpoint or at `treeSize`. */
  @ApiAnswer(200, 'InclusionProofAnswer', 'The inclusion proof at the checkpoint')
  @ApiPathParam('eventId', EVENT_ID, 'An event id (a UUID)')
  @ApiRefusal(409, 'The event is not covered by a signed checkpoint yet; retry')
  @Get('events/:eventId/proof')
  async proof(@Param('eventId') eventId: string, @Query() query: InclusionProofRequest) {
    return answer(
      await inclusionProofOf(this.store.auditLog, checkedEventId(eventId), query.treeSize),
      `event ${eventId}`,
    );
  }

  /** RFC 9162 consistency proof: the checkpoint of `to` leaves extends the one of `from`. */
  @ApiAnswer(200, 'ConsistencyProofAnswer', 'The consistency proof between the two checkpoints')
  @ApiRefusal(404, 'The log has no signed checkpoint of one of the tree sizes')
  @Get('consistency')
  async consistency(@Query() query: ConsistencyProofRequest) {
    if (query.from > query.to)
      throw new InvalidRequestError([{ path: 'from', problem: 'must not be greater than to' }]);
    return answer(await consistencyProofOf(this.store.auditLog, query.log, query.from, query.to), query.log);
  }
}

function checkedEventId(eventId: string): string {
  if (!EVENT_ID.test(eventId))
    throw new InvalidRequestError([{ path: 'eventId', problem: 'must be an event id (a UUID)' }]);
  return eventId;
}

/** A record as an export line carries it: the event as published (parsed), and its stored place and leaf. */
function loggedEvent({ logId, index, offset, leafHash, envelope }: AuditRecord) {
  return { logId, index, offset, leafHash, event: JSON.parse(envelope) as unknown };
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
