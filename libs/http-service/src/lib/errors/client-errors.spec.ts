import { ApiKeyVerifier } from '@prov/auth';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createHttpService } from '../http-service';

/** The raw answer of the server to bytes sent on a fresh connection. */
function rawAnswer(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('what Node refuses before a request reaches the service', () => {
  let app: NestFastifyApplication;
  let port: number;
  beforeAll(async () => {
    app = await createHttpService({
      name: 'test-service',
      description: 'test',
      imports: [],
      apiKeys: new ApiKeyVerifier([]),
      bodyLimitBytes: 64 * 1024,
    });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpAdapter().getInstance().server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  it('answers a request line over 16 KiB with 431 in the API error shape', async () => {
    const answer = await rawAnswer(port, `GET /healthz?cursor=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`);
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(body)).toEqual({
      error: { code: 'request_too_large', message: expect.any(String), details: [] },
    });
  });

  it('answers bytes that are no HTTP with 400 in the API error shape', async () => {
    const answer = await rawAnswer(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.split('\r\n\r\n')[1])).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
