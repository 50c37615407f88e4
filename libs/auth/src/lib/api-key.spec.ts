import { ApiKeyVerifier, InvalidApiKeyConfigError, generateApiKey, parseApiKeyConfig } from './api-key';

describe('API keys', () => {
  const alice = generateApiKey('alice', ['data-steward']);
  const svc = generateApiKey('svc-inference', ['ml-service']);
  const verifier = new ApiKeyVerifier([alice.record, svc.record]);

  it('authenticates a generated key as its principal with its roles', () => {
    expect(verifier.verify(alice.token)).toEqual({ id: 'alice', roles: ['data-steward'] });
    expect(verifier.verify(svc.token)).toEqual({ id: 'svc-inference', roles: ['ml-service'] });
  });

  it('stores only a digest of the secret', () => {
    const secret = alice.token.split('_')[2];
    expect(JSON.stringify(alice.record)).not.toContain(secret);
    expect(alice.record.secretHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ['a wrong secret', () => alice.token.slice(0, -1) + (alice.token.endsWith('A') ? 'B' : 'A')],
    ['an unknown key id', () => 'prov_zzzzzzzzzzzz_' + alice.token.split('_')[2]],
    ['another key id with a valid secret', () => `prov_${svc.record.keyId}_${alice.token.split('_')[2]}`],
    ['a malformed token', () => 'Bearer nonsense'],
    ['an empty token', () => ''],
  ])('refuses %s', (_name, token) => {
    expect(verifier.verify(token())).toBeUndefined();
  });

  it('round-trips through the configuration format', () => {
    const json = JSON.stringify({ keys: [alice.record, svc.record] });
    expect(new ApiKeyVerifier(parseApiKeyConfig(json, 'PROV_API_KEYS')).verify(svc.token)?.id).toBe('svc-inference');
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['no keys array', '{}', /"keys" array/],
    ['an unknown role', JSON.stringify({ keys: [{ ...alice.record, roles: ['root'] }] }), /keys\[0\]\.roles/],
    [
      'a plain-text secret',
      JSON.stringify({ keys: [{ ...alice.record, secretHash: 'hunter2' }] }),
      /keys\[0\]\.secretHash/,
    ],
  ])('refuses a configuration with %s, naming the problem', (_name, json, message) => {
    expect(() => parseApiKeyConfig(json, 'keys.json')).toThrow(InvalidApiKeyConfigError);
    expect(() => parseApiKeyConfig(json, 'keys.json')).toThrow(message);
  });

  it('refuses duplicate key ids', () => {
    expect(() => new ApiKeyVerifier([alice.record, alice.record])).toThrow(/appears twice/);
  });
});
