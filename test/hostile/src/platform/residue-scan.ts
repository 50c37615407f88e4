import type { SealedValue } from '@prov/contracts';
import { openSealedValue, unwrapKey } from '@prov/integrity';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every regular file under these directories, with its path. */
export async function filesUnder(...directories: string[]): Promise<Array<{ path: string; bytes: Buffer }>> {
  const files: Array<{ path: string; bytes: Buffer }> = [];
  for (const directory of directories) {
    for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files.push({ path, bytes: await readFile(path) });
    }
  }
  return files;
}

const BASE64 = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const HEX = /[0-9a-f]{64}/g;
const KEK_ID = /kek:[0-9a-f-]{36}/g;
/** How far around a copy of the key id its wrapped key is looked for: a document or a file holds them together. */
const AROUND = 2048;

function decodedTokens(text: string): Buffer[] {
  const tokens = new Set<string>();
  for (const match of text.matchAll(BASE64)) tokens.add(match[0]);
  return [...tokens].map((token) =>
    Buffer.from(token, token.includes('-') || token.includes('_') ? 'base64url' : 'base64'),
  );
}

/**
 * What an attacker holding these files could try, to open `sealed`: every
 * 32-byte value spelled in them (base64 or hex) as the subject key itself,
 * every 32 bytes next to a copy of the key id in raw form, and every
 * wrapped key next to a copy of the key id (nonce and ciphertext) unwrapped
 * with every 32-byte value and key-encryption key id found in any of them.
 * Answers how each way that opens it was found.
 */
export function waysToOpen(
  files: Array<{ path: string; bytes: Buffer }>,
  sealed: SealedValue,
  context: string,
): string[] {
  // 32-byte values spelled out (candidate subject keys and key-encryption keys), and raw ones near the key id.
  const keys = new Map<string, Buffer>();
  const raw = new Map<string, Buffer>();
  const kekIds = new Set<string>();
  const wrappedNear = new Map<string, { path: string; nonce: Buffer; ciphertext: Buffer }>();
  for (const { path, bytes } of files) {
    const text = bytes.toString('latin1');
    for (const token of decodedTokens(text)) if (token.length === 32) keys.set(token.toString('hex'), token);
    for (const match of text.matchAll(HEX)) keys.set(match[0], Buffer.from(match[0], 'hex'));
    for (const match of text.matchAll(KEK_ID)) kekIds.add(match[0]);
    for (let at = text.indexOf(sealed.keyId); at >= 0; at = text.indexOf(sealed.keyId, at + 1)) {
      const window = bytes.subarray(Math.max(0, at - AROUND), at + AROUND);
      for (let i = 0; i + 32 <= window.length; i += 1) {
        const bytes32 = Buffer.from(window.subarray(i, i + 32));
        raw.set(bytes32.toString('hex'), bytes32);
      }
      const near = decodedTokens(window.toString('latin1'));
      for (const nonce of near.filter((t) => t.length === 12))
        for (const ciphertext of near.filter((t) => t.length === 48))
          wrappedNear.set(`${nonce.toString('hex')}/${ciphertext.toString('hex')}`, { path, nonce, ciphertext });
    }
  }
  const opens = (key: Buffer) => {
    try {
      openSealedValue(sealed, key, context);
      return true;
    } catch {
      return false;
    }
  };
  const ways: string[] = [];
  for (const key of [...keys.values(), ...raw.values()]) if (opens(key)) ways.push('a subject key in the clear');
  for (const { path, nonce, ciphertext } of wrappedNear.values()) {
    for (const kekId of kekIds)
      for (const kek of keys.values()) {
        const wrapped = { kekId, nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64') };
        let key: Buffer;
        try {
          key = unwrapKey(wrapped, sealed.keyId, kek);
        } catch {
          continue;
        }
        if (opens(key)) ways.push(`a key wrapped under ${kekId}, in ${path}`);
      }
  }
  return ways;
}
