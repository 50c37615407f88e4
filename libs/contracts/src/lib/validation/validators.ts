// class-transformer's @Type() reads decorator metadata through the Reflect API.
import 'reflect-metadata';
import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import {
  DIGEST_PATTERN,
  EntityKind,
  ID_PATTERNS,
  ID_SHAPES,
  NAME_PATTERN,
  SHA256_HEX_PATTERN,
  VERSION_PATTERN,
} from '../ids';
import { isPlainObject } from './json-value';

/**
 * Validation decorators for the shapes the contracts share. Each has a
 * stable `name`; the JSON Schema generator maps those names to schema
 * fragments (json-schema/custom-validator-schemas.ts), so the decorators
 * stay free of schema-generation code.
 */

export const MAX_MAP_ENTRIES = 1000;
export const MAX_KEY_LENGTH = 256;

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 date-time with an offset, every field in its range: Date.parse
 * alone takes 2026-02-30 for March 2 and 24:00 for the next day, and a record
 * must not mean another time than the one it spells.
 */
export function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const [offsetHours, offsetMinutes] = [match[8], match[9]].map((part) => Number(part ?? 0));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  );
}

const RECORDED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * What a timestamp of an event had to be when it was recorded, before the
 * calendar check above: the shape, and a time Date.parse reads (2026-02-30 as
 * March 2). Events already on the log are read as they were accepted; only
 * new input must name a real calendar time.
 */
export function isRecordedTimestamp(value: unknown): value is string {
  return typeof value === 'string' && RECORDED_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

/** The end of IsTimestamp's message: how a problem found by it is told from others. */
export const TIMESTAMP_PROBLEM = 'must be an ISO 8601 date-time with a time zone (e.g. 2026-01-31T12:00:00Z)';

export function IsEntityId(kind: EntityKind, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEntityId',
      constraints: [kind],
      validator: {
        validate: (value) => typeof value === 'string' && ID_PATTERNS[kind].test(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an id of the form ${ID_SHAPES[kind]}`,
          options,
        ),
      },
    },
    options,
  );
}

/** ISO 8601 date-time with an explicit offset, e.g. 2026-01-31T12:00:00.000Z. */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: isTimestamp,
        defaultMessage: buildMessage((each) => `${each}$property ${TIMESTAMP_PROBLEM}`, options),
      },
    },
    options,
  );
}

/** `sha256:<64 lowercase hex>`. */
export function IsDigest(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDigest',
      validator: {
        validate: (value) => typeof value === 'string' && DIGEST_PATTERN.test(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a digest of the form sha256:<64 lowercase hex>`,
          options,
        ),
      },
    },
    options,
  );
}

/** 64 lowercase hex characters (a bare SHA-256, as in dataset manifests). */
export function IsSha256Hex(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSha256Hex',
      validator: {
        validate: (value) => typeof value === 'string' && SHA256_HEX_PATTERN.test(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be 64 lowercase hex characters (SHA-256)`,
          options,
        ),
      },
    },
    options,
  );
}

/** A name usable inside an id: letters, digits, `.`, `_`, `-`, at most 128 characters. */
export function IsName(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isName',
      validator: {
        validate: (value) => typeof value === 'string' && NAME_PATTERN.test(value),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 128)`,
          options,
        ),
      },
    },
    options,
  );
}

/** A version label usable inside an id: letters, digits, `.`, `_`, `+`, `-`, at most 64 characters. */
export function IsVersionLabel(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isVersionLabel',
      validator: {
        validate: (value) => typeof value === 'string' && VERSION_PATTERN.test(value),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must start with a letter or digit and contain only letters, digits, '.', '_', '+' or '-' (at most 64)`,
          options,
        ),
      },
    },
    options,
  );
}

function isMapOf(value: unknown, entry: (v: unknown) => boolean): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  if (keys.length > MAX_MAP_ENTRIES) return false;
  return keys.every((k) => k.length > 0 && k.length <= MAX_KEY_LENGTH && entry(value[k]));
}

const MAP_LIMITS = `at most ${MAX_MAP_ENTRIES} entries, keys of 1 to ${MAX_KEY_LENGTH} characters`;

/**
 * A user-supplied JSON object (hyperparameters, step params, filters). Any
 * key is allowed, including `.`-containing or `$`-prefixed ones: the store
 * encodes such maps, the contracts do not restrict them.
 */
export function IsJsonObject(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isJsonObject',
      validator: {
        validate: (value) => isMapOf(value, () => true),
        defaultMessage: buildMessage((each) => `${each}$property must be a JSON object (${MAP_LIMITS})`, options),
      },
    },
    options,
  );
}

/** Any JSON value (string, number, boolean, null, array or object). */
export function IsJsonValue(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isJsonValue',
      validator: {
        validate: (value) => value !== undefined,
        defaultMessage: buildMessage((each) => `${each}$property must be a JSON value`, options),
      },
    },
    options,
  );
}

/** A map of string labels (dataset tags, slice labels, library versions). */
export function IsStringMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringMap',
      validator: {
        validate: (value) => isMapOf(value, (v) => typeof v === 'string' && v.length <= 4096),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an object of string values up to 4096 characters (${MAP_LIMITS})`,
          options,
        ),
      },
    },
    options,
  );
}

/** Metrics: a map of finite numbers. */
export function IsMetricMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMetricMap',
      validator: {
        validate: (value) => isMapOf(value, (v) => typeof v === 'number' && Number.isFinite(v)),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an object of finite numbers (${MAP_LIMITS})`,
          options,
        ),
      },
    },
    options,
  );
}

/** Random seeds by purpose (e.g. { python: 1, numpy: 2, torch: 3 }): safe integers. */
export function IsSeedMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSeedMap',
      validator: {
        validate: (value) => isMapOf(value, (v) => Number.isSafeInteger(v)),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an object of integer seeds (${MAP_LIMITS})`,
          options,
        ),
      },
    },
    options,
  );
}

/** `<scheme>:<value>` reference to code or an image, e.g. `git:4f2a…` or `sha256:…`. */
export const CONTENT_REFERENCE_PATTERN = /^[a-z][a-z0-9+.-]{0,31}:[A-Za-z0-9._:/@+-]{1,256}$/;

export function IsContentReference(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isContentReference',
      validator: {
        validate: (value) => typeof value === 'string' && CONTENT_REFERENCE_PATTERN.test(value),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be a content reference of the form <scheme>:<value>, e.g. git:4f2ac1d or sha256:<hex>`,
          options,
        ),
      },
    },
    options,
  );
}
