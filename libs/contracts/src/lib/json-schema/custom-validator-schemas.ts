import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { DIGEST_PATTERN, EntityKind, ID_PATTERNS, NAME_PATTERN, SHA256_HEX_PATTERN, VERSION_PATTERN } from '../ids';
import { CONTENT_REFERENCE_PATTERN, MAX_KEY_LENGTH, MAX_MAP_ENTRIES } from '../validation/validators';

const TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';

type SchemaFragment = ISchemaConverters[string];

// propertyNames is JSON Schema, not OpenAPI, hence the cast.
const map = (values: object): SchemaFragment =>
  ({
    type: 'object',
    maxProperties: MAX_MAP_ENTRIES,
    propertyNames: { minLength: 1, maxLength: MAX_KEY_LENGTH },
    additionalProperties: values,
  }) as unknown as SchemaFragment;

/** JSON Schema of each custom validator of validation/validators.ts, by its name. */
export const customValidatorSchemas: ISchemaConverters = {
  // Envelope event ids are UUIDv7.
  isUuid: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' },
  // draft-07 has no base64 format; contentEncoding documents it, the pattern checks it.
  isBase64: {
    type: 'string',
    contentEncoding: 'base64',
    pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
  } as SchemaFragment,
  isEntityId: (meta) => ({ type: 'string', pattern: ID_PATTERNS[meta.constraints[0] as EntityKind].source }),
  isTimestamp: { type: 'string', format: 'date-time', pattern: TIMESTAMP_PATTERN },
  isDigest: { type: 'string', pattern: DIGEST_PATTERN.source },
  isSha256Hex: { type: 'string', pattern: SHA256_HEX_PATTERN.source },
  isName: { type: 'string', pattern: NAME_PATTERN.source },
  isVersionLabel: { type: 'string', pattern: VERSION_PATTERN.source },
  isContentReference: { type: 'string', pattern: CONTENT_REFERENCE_PATTERN.source },
  isJsonObject: map({}),
  isJsonValue: {},
  isStringMap: map({ type: 'string', maxLength: 4096 }),
  isMetricMap: map({ type: 'number' }),
  isSeedMap: map({ type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
};
