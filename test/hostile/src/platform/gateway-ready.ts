import type { RunningServices } from '@prov/platform-testing';

/** Resolves once the query gateway serves queries: it answers 503 until the projector's first generation is active. */
export async function untilGatewayServes(services: RunningServices): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${services.urls['query-gateway']}/v1/alerts`, {
      headers: { authorization: `Bearer ${services.tokens.viewer}` },
    });
    if (response.status !== 503) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the query gateway still answers 503 after 60 s');
}
