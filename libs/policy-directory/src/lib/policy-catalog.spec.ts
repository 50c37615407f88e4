import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyCatalog } from './policy-catalog';

const policy = (name: string, models?: string[]) =>
  [
    'apiVersion: provenance/v1',
    'kind: ProvenancePolicy',
    `metadata: { name: ${name} }`,
    'spec:',
    '  captureLevel: full',
    ...(models ? [`  appliesTo: { models: [${models.join(', ')}] }`] : []),
  ].join('\n');

describe('a directory of provenance policies', () => {
  let directory: string;
  beforeEach(() => (directory = mkdtempSync(join(tmpdir(), 'policies-'))));
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('finds a policy by its name, also one written after the catalog was opened', () => {
    writeFileSync(join(directory, 'a.yaml'), policy('churn-prod'));
    const catalog = PolicyCatalog.fromDirectory(directory);
    expect(catalog.get('churn-prod')?.spec.captureLevel).toBe('full');
    expect(catalog.get('fraud-prod')).toBeUndefined();
    writeFileSync(join(directory, 'b.yml'), policy('fraud-prod', ['fraud']));
    expect(catalog.get('fraud-prod')?.spec.appliesTo).toEqual({ models: ['fraud'] });
  });

  it('lists every policy of the directory as it is now, by name, ignoring other files', () => {
    const catalog = PolicyCatalog.fromDirectory(directory);
    expect(catalog.all()).toEqual([]);
    writeFileSync(join(directory, 'z.yaml'), policy('b-policy'));
    writeFileSync(
      join(directory, 'y.json'),
      JSON.stringify({
        apiVersion: 'provenance/v1',
        kind: 'ProvenancePolicy',
        metadata: { name: 'a-policy' },
        spec: { captureLevel: 'standard' },
      }),
    );
    writeFileSync(join(directory, 'notes.txt'), 'not a policy');
    expect(catalog.all().map((p) => p.metadata.name)).toEqual(['a-policy', 'b-policy']);
  });

  it('refuses two files declaring one policy name, naming both', () => {
    writeFileSync(join(directory, 'a.yaml'), policy('churn-prod'));
    writeFileSync(join(directory, 'b.yaml'), policy('churn-prod'));
    expect(() => PolicyCatalog.fromDirectory(directory)).toThrow(
      /b\.yaml and .*a\.yaml both declare the policy churn-prod/,
    );
  });

  it('names the file and field of an invalid policy', () => {
    writeFileSync(join(directory, 'bad.yaml'), policy('bad').replace('full', 'complete'));
    expect(() => PolicyCatalog.fromDirectory(directory)).toThrow(/bad\.yaml.*spec\.captureLevel/);
  });

  it('is empty without a directory, and refuses one that does not exist', () => {
    expect(PolicyCatalog.fromDirectory(undefined).all()).toEqual([]);
    expect(() => PolicyCatalog.fromDirectory(join(directory, 'missing'))).toThrow(
      /PROV_POLICY_DIR .*missing does not exist/,
    );
  });
});
