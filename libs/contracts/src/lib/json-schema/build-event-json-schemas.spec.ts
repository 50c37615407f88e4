import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOG, EventType } from '../catalog/event-catalog';
import { EXAMPLE_PAYLOADS, exampleEnvelope } from '../examples/example-events';
import { INVALID_PAYLOAD_EXAMPLES } from '../examples/invalid-payload-examples';
import { buildEventJsonSchemas } from './build-event-json-schemas';
import { eventJsonSchemaFileName } from './schema-file-name';

const SCHEMA_DIR = join(__dirname, '..', '..', '..', 'schemas');
const generated = buildEventJsonSchemas();

const ajv = new Ajv({ strict: true, allErrors: true });
addFormats(ajv);
ajv.addSchema(Object.values(generated));
const validatorFor = (type: EventType, version: number) => {
  const validate = ajv.getSchema(`urn:provenance:event:${type}:v${version}`);
  if (!validate) throw new Error(`no schema for ${type} v${version}`);
  return validate;
};

const cases = (Object.keys(EVENT_CATALOG) as EventType[]).flatMap((type) =>
  Object.keys(EVENT_CATALOG[type].versions).map((v) => [type, Number(v)] as const),
);

describe('event JSON Schemas', () => {
  it('the checked-in schemas are current (run `npx nx run contracts:generate-schemas` after changing a contract)', () => {
    const onDisk = Object.fromEntries(
      readdirSync(SCHEMA_DIR)
        .filter((name) => name.endsWith('.schema.json'))
        .map((name) => [name, JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8'))]),
    );
    expect(onDisk).toEqual(generated);
  });

  it('there is one schema per event type and schema version', () => {
    expect(Object.keys(generated).sort()).toEqual(cases.map(([t, v]) => eventJsonSchemaFileName(t, v)).sort());
  });

  it.each(cases)('%s v%d accepts its example envelope', (type, version) => {
    const payload = structuredClone(EXAMPLE_PAYLOADS[type][version]);
    const validate = validatorFor(type, version);
    const envelope = exampleEnvelope(type, version, payload, EVENT_CATALOG[type].subjectOf(payload as never));
    expect(validate(envelope) ? [] : validate.errors).toEqual([]);
  });

  // The schemas are for producers in other languages: they must refuse what the platform refuses.
  const invalid = (Object.keys(INVALID_PAYLOAD_EXAMPLES) as EventType[]).flatMap((type) =>
    INVALID_PAYLOAD_EXAMPLES[type]
      // NaN cannot be written in JSON, so a JSON Schema validator never sees it.
      .filter((c) => !c.name.includes('NaN'))
      .map((c) => [type, c.name, c] as const),
  );
  it.each(invalid)('%s refuses %s', (type, _name, invalidCase) => {
    const version = EVENT_CATALOG[type].currentVersion;
    const payload = structuredClone(EXAMPLE_PAYLOADS[type][version]);
    const subject = EVENT_CATALOG[type].subjectOf(payload as never);
    invalidCase.mutate(payload);
    expect(validatorFor(type, version)(exampleEnvelope(type, version, payload, subject))).toBe(false);
  });
});
