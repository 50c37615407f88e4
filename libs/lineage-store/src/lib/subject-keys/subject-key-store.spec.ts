import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSubjectKeyStore } from './file-subject-key-store';
import { InMemorySubjectKeyStore } from './in-memory-subject-key-store';
import { InMemoryKeyEncryptionKeys } from './keyring-key-encryption-keys';
import { describeSubjectKeyStoreContract } from './subject-key-store.contract';

const directories: string[] = [];
const freshDirectory = () => {
  const directory = mkdtempSync(join(tmpdir(), 'subject-keys-'));
  directories.push(directory);
  return directory;
};
afterAll(() => directories.forEach((d) => rmSync(d, { recursive: true, force: true })));

const filesIn = (directory: string) => async () =>
  readdirSync(directory)
    .map((name) => readFileSync(join(directory, name), 'latin1'))
    .join('\n');

describeSubjectKeyStoreContract('in memory', async (keks) => {
  const store = new InMemorySubjectKeyStore(keks);
  return {
    store,
    stored: async () => JSON.stringify([...(store as unknown as { records: Map<string, unknown> }).records]),
  };
});
describeSubjectKeyStoreContract('files', async (keks) => {
  const directory = freshDirectory();
  return { store: await FileSubjectKeyStore.open(directory, keks), stored: filesIn(directory) };
});

describe('file subject key store', () => {
  it('keeps keys and erasures across restarts, and keeps no key material of a destroyed key', async () => {
    const directory = freshDirectory();
    const keks = new InMemoryKeyEncryptionKeys();
    const store = await FileSubjectKeyStore.open(directory, keks);
    const erased = await store.activeKey('customer-1');
    const kept = await store.activeKey('customer-2');
    await store.destroy('customer-1');
    await store.close();

    const reopened = await FileSubjectKeyStore.open(directory, keks);
    const states = await reopened.keys([erased.keyId, kept.keyId]);
    expect(states.get(erased.keyId)?.state).toBe('destroyed');
    const state = states.get(kept.keyId);
    expect(state?.state === 'active' && state.key.equals(kept.key)).toBe(true);
    expect((await reopened.activeKey('customer-2')).keyId).toBe(kept.keyId);
    expect(await filesIn(directory)()).not.toContain(erased.key.toString('base64'));
    await reopened.close();
  });

  it('wraps, when it opens, a key written in the clear before keys were wrapped', async () => {
    const directory = freshDirectory();
    const key = Buffer.alloc(32, 7);
    const keyId = 'subjectkey:0190f1a4-8c1e-4b2a-9c3d-4e5f60718299';
    writeFileSync(
      join(directory, `${keyId.slice('subjectkey:'.length)}.json`),
      JSON.stringify({ keyId, dataSubject: 'customer-9', key: key.toString('base64') }),
    );
    const store = await FileSubjectKeyStore.open(directory, new InMemoryKeyEncryptionKeys());
    const state = (await store.keys([keyId])).get(keyId);
    expect(state?.state === 'active' && state.key.equals(key)).toBe(true);
    expect(await filesIn(directory)()).not.toContain(key.toString('base64'));
  });
});
