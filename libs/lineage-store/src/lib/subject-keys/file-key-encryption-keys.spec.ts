import { generateSubjectKey, KeyUnwrapError } from '@prov/integrity';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileKeyEncryptionKeys } from './file-key-encryption-keys';

describe('key-encryption keys in a keyring file', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'keyring-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('creates the keyring with one key on first use, readable by its owner only, and the same for every process', async () => {
    const file = join(directory, 'secrets', 'keyring.json');
    const [a, b] = [new FileKeyEncryptionKeys(file), new FileKeyEncryptionKeys(file)];
    const [first, second] = await Promise.all([a.currentId(), b.currentId()]);
    expect(first).toMatch(/^kek:[0-9a-f-]{36}$/);
    expect(second).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(directory, 'secrets'))).toEqual(['keyring.json']);
  });

  it('unwraps what it wrapped, in another process too, until the key-encryption key is retired', async () => {
    const file = join(directory, 'keyring.json');
    const keks = new FileKeyEncryptionKeys(file);
    const key = generateSubjectKey();
    const wrapped = await keks.wrap('subjectkey:1', key);
    expect((await new FileKeyEncryptionKeys(file).unwrap('subjectkey:1', wrapped)).equals(key)).toBe(true);

    const other = new FileKeyEncryptionKeys(file);
    const rotated = await other.rotate();
    expect(rotated).not.toBe(wrapped.kekId);
    // The first instance sees the rotation: new keys are wrapped under the new key-encryption key.
    expect((await keks.wrap('subjectkey:2', key)).kekId).toBe(rotated);
    expect((await keks.unwrap('subjectkey:1', wrapped)).equals(key)).toBe(true);

    const pseudonym = await keks.pseudonym('alice@example.com');
    expect(pseudonym).toMatch(/^psn:[0-9a-f]{64}$/);
    expect(await other.retireAllButCurrent()).toEqual([wrapped.kekId]);
    // A subject's pseudonym outlives rotations, and no other keyring gives it.
    expect(await new FileKeyEncryptionKeys(file).pseudonym('alice@example.com')).toBe(pseudonym);
    expect(await new FileKeyEncryptionKeys(join(directory, 'other.json')).pseudonym('alice@example.com')).not.toBe(
      pseudonym,
    );
    await expect(keks.unwrap('subjectkey:1', wrapped)).rejects.toThrow(KeyUnwrapError);
    expect(readFileSync(file, 'utf8')).not.toContain(wrapped.kekId);
  });
});
