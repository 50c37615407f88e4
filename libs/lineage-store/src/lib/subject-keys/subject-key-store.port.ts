/** A data subject's key, as the sealing side needs it. */
export interface SubjectKey {
  keyId: string;
  key: Buffer;
}

/** What a key id stands for now: a key to open with, or a key destroyed by an erasure. Unknown ids are absent. */
export type SubjectKeyState = { state: 'active'; key: Buffer } | { state: 'destroyed'; destroyedAt: string };

/**
 * Per-data-subject keys (crypto-shredding). Keys live outside the event log,
 * which never changes: destroying a subject's keys erases every value sealed
 * with them, wherever the events were copied to.
 */
export interface SubjectKeyStore {
  /** The key to seal the subject's new values with: created when the subject has none that is not destroyed. */
  activeKey(dataSubject: string): Promise<SubjectKey>;
  /** The state of each known key id. */
  keys(keyIds: readonly string[]): Promise<Map<string, SubjectKeyState>>;
  /** Destroys every key of the subject; answers the ids destroyed by this call (none when none was left). */
  destroy(dataSubject: string): Promise<string[]>;
  close(): Promise<void>;
}

export const subjectKeyId = (uuid: string): string => `subjectkey:${uuid}`;
