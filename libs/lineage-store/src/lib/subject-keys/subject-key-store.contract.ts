import type { KeyEncryptionKeys } from './key-encryption-keys.port';
import { rotateKeyEncryptionKeys } from './key-rotation';
import { InMemoryKeyEncryptionKeys } from './keyring-key-encryption-keys';
import type { SubjectKeyStore } from './subject-key-store.port';

/**
 * What every SubjectKeyStore adapter owes the inference service and the
 * gateway. `open` gives an empty store wrapping its keys with `keks`;
 * `stored` reads back everything it wrote, as text (documents or files).
 */
export function describeSubjectKeyStoreContract(
  adapterName: string,
  open: (keks: KeyEncryptionKeys) => Promise<{ store: SubjectKeyStore; stored: () => Promise<string> }>,
): void {
  describe(`SubjectKeyStore contract: ${adapterName}`, () => {
    let store: SubjectKeyStore;
    let stored: () => Promise<string>;
    let keks: InMemoryKeyEncryptionKeys;
    beforeEach(async () => {
      keks = new InMemoryKeyEncryptionKeys();
      ({ store, stored } = await open(keks));
    });
    afterEach(() => store.close());

    it('stores a key only wrapped: no spelling of it is in what the store wrote', async () => {
      const { key } = await store.activeKey('customer-1');
      const text = await stored();
      expect(text).toContain('customer-1');
      for (const spelling of [key.toString('base64'), key.toString('hex'), key.toString('latin1')]) {
        expect(text).not.toContain(spelling);
      }
    });

    it('wraps every live key again when the key-encryption key rotates, and they open after the old one is retired', async () => {
      const live = await store.activeKey('customer-1');
      const erased = await store.activeKey('customer-2');
      await store.destroy('customer-2');
      const rotation = await rotateKeyEncryptionKeys(keks, store);
      expect(rotation).toEqual({
        current: expect.stringMatching(/^kek:/),
        rewrapped: 1,
        retired: [expect.any(String)],
      });
      const states = await store.keys([live.keyId, erased.keyId]);
      const state = states.get(live.keyId);
      expect(state?.state === 'active' && state.key.equals(live.key)).toBe(true);
      expect(states.get(erased.keyId)?.state).toBe('destroyed');
      expect((await store.activeKey('customer-1')).keyId).toBe(live.keyId);
      expect(await store.rewrap()).toBe(0);
    });

    it("knows a subject once it had a key, and lists the subject's destroyed keys with when", async () => {
      expect(await store.history('nobody')).toEqual({ known: false, destroyed: [] });
      const { keyId } = await store.activeKey('customer-1');
      expect(await store.history('customer-1')).toEqual({ known: true, destroyed: [] });
      await store.destroy('customer-1');
      expect(await store.history('customer-1')).toEqual({
        known: true,
        destroyed: [{ keyId, destroyedAt: expect.stringMatching(/^\d{4}-/) }],
      });
    });

    it("creates a subject's key once and gives it again", async () => {
      const first = await store.activeKey('customer-1');
      expect(first.keyId).toMatch(/^subjectkey:[0-9a-f-]{36}$/);
      expect(first.key).toHaveLength(32);
      const again = await store.activeKey('customer-1');
      expect(again.keyId).toBe(first.keyId);
      expect(again.key.equals(first.key)).toBe(true);
      const other = await store.activeKey('customer-2');
      expect(other.keyId).not.toBe(first.keyId);
      expect(other.key.equals(first.key)).toBe(false);
    });

    it('answers the state of known key ids only', async () => {
      const { keyId, key } = await store.activeKey('customer-1');
      const unknown = 'subjectkey:00000000-0000-4000-8000-000000000000';
      const states = await store.keys([keyId, unknown]);
      expect([...states.keys()]).toEqual([keyId]);
      const state = states.get(keyId);
      expect(state?.state === 'active' && state.key.equals(key)).toBe(true);
    });

    it("destroys every key of a subject, and only that subject's; a later value gets a new key", async () => {
      const first = await store.activeKey('customer-1');
      const kept = await store.activeKey('customer-2');
      expect(await store.destroy('customer-1')).toEqual([first.keyId]);
      const states = await store.keys([first.keyId, kept.keyId]);
      expect(states.get(first.keyId)).toEqual({ state: 'destroyed', destroyedAt: expect.any(String) });
      expect(states.get(kept.keyId)?.state).toBe('active');
      expect(await store.destroy('customer-1')).toEqual([]);
      const next = await store.activeKey('customer-1');
      expect(next.keyId).not.toBe(first.keyId);
      expect(await store.destroy('customer-1')).toEqual([next.keyId]);
    });

    it('destroys nothing for a subject it never saw', async () => {
      expect(await store.destroy('nobody')).toEqual([]);
    });

    it('keeps any subject id, however it is spelled', async () => {
      for (const subject of ['a.b', '$where', 'user@example.com', 'x:y-z_1']) {
        const { keyId } = await store.activeKey(subject);
        expect((await store.activeKey(subject)).keyId).toBe(keyId);
      }
    });
  });
}
