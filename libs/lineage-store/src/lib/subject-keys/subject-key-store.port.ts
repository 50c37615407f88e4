/** A data subject's key, as the sealing side needs it. */
export interface SubjectKey {
  keyId: string;
  key: Buffer;
}

/** What a key id stands for now: a key to open with, or a key destroyed by an erasure. Unknown ids are absent. */
export type SubjectKeyState = { state: 'active'; key: Buffer } | { state: 'destroyed'; destroyedAt: string };

/** What a store knows of a subject: whether it ever had a key, and which of its keys were destroyed, when. */
export interface SubjectKeyHistory {
  known: boolean;
  destroyed: Array<{ keyId: string; destroyedAt: string }>;
}

/**
 * Per-data-subject keys (crypto-shredding). Keys live outside the event log,
 * which never changes: destroying a subject's keys erases every value sealed
 * with them, wherever the events were copied to. A key is stored only
 * wrapped under a key-encryption key kept elsewhere (KeyEncryptionKeys), so
 * that what a destroyed key leaves in the store's files, logs and backups
 * opens nothing once that key-encryption key is retired.
 */
export interface SubjectKeyStore {
  /** The key to seal the subject's new values with: created when the subject has none that is not destroyed. */
  activeKey(dataSubject: string): Promise<SubjectKey>;
  /** The state of each known key id. */
  keys(keyIds: readonly string[]): Promise<Map<string, SubjectKeyState>>;
  /** Destroys every key of the subject; answers the ids destroyed by this call (none when none was left). */
  destroy(dataSubject: string): Promise<string[]>;
  history(dataSubject: string): Promise<SubjectKeyHistory>;
  /** Wraps every live key again under the current key-encryption key; answers how many were wrapped under another. */
  rewrap(): Promise<number>;
  close(): Promise<void>;
}

export const subjectKeyId = (uuid: string): string => `subjectkey:${uuid}`;
