import {
  KafkaJSAggregateError,
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSTimeout,
} from 'kafkajs';
import { EventLogClosedError, UnknownTopicError } from '../event-log.errors';
import { kafkaErrorType, KafkaLogError, toLogError, topicCreationFailures } from './kafka-event-log.errors';

/** A protocol error as kafkajs builds it from a response's error code. */
const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(`broker says ${type}`), { type, code: 1, retriable }));

/** What kafkajs's retrier throws once it gives up on `error`. */
const retriesExceeded = (error: Error) =>
  new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 5, retryTime: 1000, cause: error } as never);

describe('mapping kafkajs errors onto the event log errors', () => {
  it('keeps a failure that was retriable retriable after kafkajs ran out of retries', () => {
    const refused = new KafkaJSConnectionError('connect ECONNREFUSED 127.0.0.1:1');
    const gaveUp = Object.assign(new KafkaJSNonRetriableError(retriesExceeded(refused)), { cause: refused });

    const error = toLogError(gaveUp, 'cannot connect');

    expect(error).toBeInstanceOf(KafkaLogError);
    expect(error).toMatchObject({ retriable: true, message: expect.stringMatching(/^cannot connect: /) });
    expect(error.cause).toBe(gaveUp);
  });

  it('says a broker certificate the client does not trust is not retriable, however often kafkajs tried', () => {
    // As kafkajs builds it from the TLS socket's error: the message, and Node's code for the failed verification.
    const untrusted = new KafkaJSConnectionError('Connection error: unable to verify the first certificate', {
      broker: '127.0.0.1:9098',
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    } as never);
    const wrongHost = new KafkaJSConnectionError('Connection error: Hostname/IP does not match', {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    } as never);

    expect(toLogError(retriesExceeded(untrusted), 'cannot connect')).toMatchObject({
      retriable: false,
      message: 'cannot connect: Connection error: unable to verify the first certificate',
    });
    expect(toLogError(retriesExceeded(wrongHost), 'cannot connect')).toMatchObject({ retriable: false });
    expect(toLogError(new KafkaJSConnectionError('x', { code: 'ECONNRESET' } as never), 'c')).toMatchObject({
      retriable: true,
    });
  });

  it('says a failure Kafka calls final is not retriable', () => {
    const error = toLogError(retriesExceeded(protocolError('TOPIC_AUTHORIZATION_FAILED', false)), 'publishing');

    expect(error).toMatchObject({ retriable: false });
  });

  it('counts timeouts as passing, although kafkajs does not', () => {
    // kafkajs's typings omit the message its constructor needs.
    const timeout = Reflect.construct(KafkaJSTimeout, ['Timed out while waiting for topic leaders']);

    expect(toLogError(timeout, 'creating topics')).toMatchObject({ retriable: true });
  });

  it('turns an unknown topic into UnknownTopicError when the call was about a topic', () => {
    const unknown = retriesExceeded(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true));

    expect(toLogError(unknown, 'reading offsets', 'provenance.training.v1')).toEqual(
      new UnknownTopicError('provenance.training.v1'),
    );
    expect(toLogError(unknown, 'reading offsets')).toBeInstanceOf(KafkaLogError);
  });

  it('passes the event log errors through and calls anything else final', () => {
    const closed = new EventLogClosedError();

    expect(toLogError(closed, 'publishing')).toBe(closed);
    expect(toLogError(new TypeError('x is undefined'), 'publishing')).toMatchObject({ retriable: false });
  });

  it("finds Kafka's error code name behind kafkajs's wrappers", () => {
    expect(kafkaErrorType(retriesExceeded(protocolError('NOT_ENOUGH_REPLICAS', true)))).toBe('NOT_ENOUGH_REPLICAS');
    expect(kafkaErrorType(new Error('plain'))).toBeUndefined();
  });

  it('leaves to the wait for leaders a topic that another process created and this broker does not host yet', () => {
    const raced = new KafkaJSAggregateError('Topic creation errors', [
      protocolError('TOPIC_ALREADY_EXISTS', false),
      protocolError('UNKNOWN_TOPIC_OR_PARTITION', true),
      protocolError('LEADER_NOT_AVAILABLE', true),
    ]);
    expect(topicCreationFailures(raced)).toEqual([]);
    expect(topicCreationFailures(retriesExceeded(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true)))).toEqual([]);
  });

  it('keeps the topic creation failures that waiting would not settle', () => {
    const denied = protocolError('TOPIC_AUTHORIZATION_FAILED', false);
    const invalid = protocolError('INVALID_TOPIC_EXCEPTION', false);
    expect(topicCreationFailures(new KafkaJSAggregateError('Topic creation errors', [denied, invalid]))).toEqual([
      denied,
      invalid,
    ]);
  });
});
