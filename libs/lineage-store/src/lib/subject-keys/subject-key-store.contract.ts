import type { SubjectKeyStore } from './subject-key-store.port';

/** What every SubjectKeyStore adapter owes the inference service and the gateway; `open` gives an empty store. */
export function describeSubjectKeyStoreContract(adapterName: string, open: () => Promise<SubjectKeyStore>): void {
  describe(`SubjectKeyStore contract: ${adapterName}`, () => {
    let store: SubjectKeyStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

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
