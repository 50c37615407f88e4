import { validatePolicy } from '@prov/governance';
import { ServiceUnavailableError } from '@prov/http-service';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayPolicyCheck } from './gateway-policy-check.adapter';

const policy = validatePolicy(
  { apiVersion: 'provenance/v1', kind: 'ProvenancePolicy', metadata: { name: 'p' }, spec: { captureLevel: 'full' } },
  'p',
);

describe('the policy check of the query gateway', () => {
  let server: Server;
  let url: string;
  let answer: (req: IncomingMessage, body: string, res: ServerResponse) => void;
  const requests: Array<{ url?: string; authorization?: string; body: unknown }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push({ url: req.url, authorization: req.headers.authorization, body: JSON.parse(body) });
        answer(req, body, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (requests.length = 0));

  const reply = (status: number, body: unknown) => (_: IncomingMessage, __: string, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const check = () => new GatewayPolicyCheck({ gatewayUrl: url, apiKey: 'registry-key', retries: 1 });

  it('posts the policy and approver with the registry key and returns the evaluation', async () => {
    const evaluation = {
      policy: { name: 'p', digest: 'sha256:x' },
      modelVersionId: 'model:m@1',
      satisfied: true,
      requirements: [],
    };
    answer = reply(200, evaluation);
    expect(await check().evaluate('model:m@1', policy, 'carol')).toEqual(evaluation);
    expect(requests).toEqual([
      {
        url: `/v1/models/${encodeURIComponent('model:m@1')}/completeness`,
        authorization: 'Bearer registry-key',
        body: { policy, approver: 'carol' },
      },
    ]);
  });

  it('is unavailable while the gateway does not show the model version yet', async () => {
    answer = reply(404, {
      error: { code: 'not-found', message: 'no model version model:m@1 is registered', details: [] },
    });
    await expect(check().evaluate('model:m@1', policy, 'carol')).rejects.toThrow(
      new ServiceUnavailableError(
        `the query gateway at ${url} does not show model:m@1 yet (its views lag the log); try again shortly`,
      ),
    );
  });

  it('is unavailable, naming the key, when the gateway refuses it', async () => {
    answer = reply(401, { error: { code: 'unauthenticated', message: 'no', details: [] } });
    await expect(check().evaluate('model:m@1', policy, 'carol')).rejects.toThrow(/PROV_GATEWAY_API_KEY/);
  });

  it('tries a failing gateway again before it gives up', async () => {
    answer = reply(500, { error: { code: 'internal', message: 'boom', details: [] } });
    const failure = check().evaluate('model:m@1', policy, 'carol');
    await expect(failure).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(failure).rejects.toThrow(/answered 500: boom/);
    expect(requests).toHaveLength(2);
  });

  it('is unavailable when nothing listens', async () => {
    const closed = new GatewayPolicyCheck({ gatewayUrl: 'http://127.0.0.1:1', apiKey: 'k', retries: 0 });
    await expect(closed.evaluate('model:m@1', policy, 'carol')).rejects.toThrow(/answered nothing/);
  });
});
