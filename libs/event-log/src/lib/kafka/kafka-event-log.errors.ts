import { KafkaJSAggregateError, KafkaJSError } from 'kafkajs';
import { EventLogError, UnknownTopicError } from '../event-log.errors';

/**
 * A failure of Kafka or of the way to it. Retriable when the failure is
 * passing: a broker away, a leader or coordinator moving, a timeout.
 */
export class KafkaLogError extends EventLogError {
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Timeouts that kafkajs calls non-retriable, although the same call may well succeed later. */
const PASSING_TIMEOUTS = new Set(['KafkaJSTimeout', 'KafkaJSLockTimeout']);

/**
 * Node's codes for a broker certificate the client does not trust (an unknown
 * CA, another host's name, out of date). kafkajs calls the connection error
 * retriable, but only a change of settings or certificates will make it pass.
 */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The failure kafkajs started from: its retrier wraps the last error in
 * `KafkaJSNumberOfRetriesExceeded` (non-retriable, since retrying is over)
 * and that, at times, in `KafkaJSNonRetriableError`, each keeping it as `cause`.
 */
export function originalKafkaError(error: unknown): unknown {
  let current = error;
  while (current instanceof KafkaJSError && current.cause instanceof Error) current = current.cause;
  return current;
}

/** The name of Kafka's error code (`UNKNOWN_TOPIC_OR_PARTITION`...) behind a kafkajs error, if any. */
export function kafkaErrorType(error: unknown): string | undefined {
  const original = originalKafkaError(error);
  const type = (original as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}

/**
 * Maps a kafkajs failure onto the port's errors. Retriable follows the
 * original failure, as kafkajs decides whether to restart a consumer: a
 * connection refused five times over is still a broker that may come back.
 * `topic` names the topic the call was about, so that Kafka's unknown topic
 * becomes UnknownTopicError.
 */
export function toLogError(error: unknown, what: string, topic?: string): EventLogError {
  if (error instanceof EventLogError) return error;
  if (topic !== undefined && kafkaErrorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION')
    return new UnknownTopicError(topic);
  const original = originalKafkaError(error);
  const untrusted = UNTRUSTED_CERTIFICATE.has(String((original as { code?: unknown } | undefined)?.code));
  const retriable =
    original instanceof KafkaJSError && (original.retriable || PASSING_TIMEOUTS.has(original.name)) && !untrusted;
  const message = error instanceof Error ? error.message : String(error);
  return new KafkaLogError(`${what}: ${message}`, retriable, { cause: error });
}

/**
 * What Kafka answers while a topic that exists has no leader known to the
 * broker asked yet: another process created it a moment ago, or a new topic's
 * leaders are being elected. Passing: waiting for the leaders settles it.
 */
const TOPIC_NOT_SETTLED = new Set([
  'TOPIC_ALREADY_EXISTS',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
]);

/**
 * The failures of a topic creation that waiting for the topics' leaders would
 * not settle (each of a kafkajs aggregate, or the one error).
 */
export function topicCreationFailures(error: unknown): unknown[] {
  return (error instanceof KafkaJSAggregateError ? error.errors : [error]).filter(
    (failure) => !TOPIC_NOT_SETTLED.has(kafkaErrorType(failure) ?? ''),
  );
}
