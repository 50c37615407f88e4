import type { PolicyEvaluation, ProvenancePolicy } from '@prov/governance';
import { ServiceUnavailableError } from '@prov/http-service';
import { ProvenanceApiError, ProvenanceClient } from '@prov/sdk';
import type { PolicyCheck } from './policy-check.port';

export interface GatewayPolicyCheckOptions {
  gatewayUrl: string;
  apiKey: string;
  /** Attempts after the first one, for network errors and 5xx (the sdk's backoff). */
  retries?: number;
  timeoutMs?: number;
}

/**
 * The policy check of the query gateway (`POST /v1/models/{id}/completeness`):
 * the lineage is evaluated where it is served, so a promotion is judged on
 * exactly the lineage a `prov check` or a trace shows. Every failure to get
 * an answer is a 503 of the registry: a promotion is never decided without one.
 */
export class GatewayPolicyCheck implements PolicyCheck {
  private readonly client: ProvenanceClient;

  constructor(private readonly options: GatewayPolicyCheckOptions) {
    this.client = new ProvenanceClient({
      gatewayUrl: options.gatewayUrl,
      apiKey: options.apiKey,
      retry: { retries: options.retries ?? 2, initialDelayMs: 100, maxDelayMs: 1000 },
      timeoutMs: options.timeoutMs ?? 5000,
    });
  }

  async evaluate(modelVersionId: string, policy: ProvenancePolicy, approver: string): Promise<PolicyEvaluation> {
    try {
      return await this.client.queries.checkPolicy(modelVersionId, policy, approver);
    } catch (error) {
      if (!(error instanceof ProvenanceApiError)) throw error;
      throw new ServiceUnavailableError(this.explain(modelVersionId, error));
    }
  }

  private explain(modelVersionId: string, error: ProvenanceApiError): string {
    const gateway = `the query gateway at ${this.options.gatewayUrl}`;
    if (error.status === 404)
      // The registry knows the model version, so the gateway's views have not caught up with the log yet.
      return `${gateway} does not show ${modelVersionId} yet (its views lag the log); try again shortly`;
    if (error.status === 401 || error.status === 403)
      return `${gateway} refused the registry's key (PROV_GATEWAY_API_KEY): ${error.message}`;
    return `the promotion's policy could not be checked: ${gateway} answered ${error.status || 'nothing'}: ${error.message}`;
  }
}
