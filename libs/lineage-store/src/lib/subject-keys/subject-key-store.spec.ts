import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSubjectKeyStore } from './file-subject-key-store';
import { InMemorySubjectKeyStore } from './in-memory-subject-key-store';
import { describeSubjectKeyStoreContract } from './subject-key-store.contract';

const directories: string[] = [];
const freshDirectory = () => {
  const directory = mkdtempSync(join(tmpdir(), 'subject-keys-'));
  directories.push(directory);
  return directory;
};
afterAll(() => directories.forEach((d) => rmSync(d, { recursive: true, force: true })));

describeSubjectKeyStoreContract('in memory', async () => new InMemorySubjectKeyStore());
describeSubjectKeyStoreContract('files', () => FileSubjectKeyStore.open(freshDirectory()));

describe('file subject key store', () => {
  it('keeps keys and erasures across restarts, and keeps no key material of a destroyed key', async () => {
    const directory = freshDirectory();
    const store = await FileSubjectKeyStore.open(directory);
    const erased = await store.activeKey('customer-1');
    const kept = await store.activeKey('customer-2');
    await store.destroy('customer-1');
    await store.close();

    const reopened = await FileSubjectKeyStore.open(directory);
    const states = await reopened.keys([erased.keyId, kept.keyId]);
    expect(states.get(erased.keyId)?.state).toBe('destroyed');
    const state = states.get(kept.keyId);
    expect(state?.state === 'active' && state.key.equals(kept.key)).toBe(true);
    expect((await reopened.activeKey('customer-2')).keyId).toBe(kept.keyId);
    const files = readdirSync(directory).map((name) => readFileSync(join(directory, name), 'utf8'));
    expect(files.join('\n')).not.toContain(erased.key.toString('base64'));
    await reopened.close();
  });
});
