/**
 * Errors an event log adapter raises. Each says whether the same call may
 * succeed if retried later (`retriable`), so callers need not parse messages.
 */
export abstract class EventLogError extends Error {
  abstract readonly retriable: boolean;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class UnknownTopicError extends EventLogError {
  readonly retriable = false;

  constructor(
    readonly topic: string,
    readonly partition?: number,
  ) {
    super(
      partition === undefined
        ? `topic ${topic} does not exist (create it with ensureTopics)`
        : `topic ${topic} has no partition ${partition}`,
    );
  }
}

export class OffsetOutOfRangeError extends EventLogError {
  readonly retriable = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    readonly earliest: string,
    readonly latest: string,
  ) {
    super(
      `offset ${offset} is outside ${topic}/${partition}, which holds offsets ${earliest} to ${latest} (exclusive)`,
    );
  }
}

export class MessageTooLargeError extends EventLogError {
  readonly retriable = false;

  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`a message of ${bytes} bytes exceeds the largest record the log accepts (${maxBytes} bytes)`);
  }
}

export class EventLogClosedError extends EventLogError {
  readonly retriable = false;

  constructor() {
    super('the event log is closed');
  }
}

export class InvalidTopicError extends EventLogError {
  readonly retriable = false;

  constructor(
    readonly topic: string,
    reason: string,
  ) {
    super(`invalid topic ${topic}: ${reason}`);
  }
}

export class InvalidOffsetError extends EventLogError {
  readonly retriable = false;

  constructor(readonly offset: string) {
    super(`offset ${JSON.stringify(offset)} is not the decimal string of a non-negative integer`);
  }
}
