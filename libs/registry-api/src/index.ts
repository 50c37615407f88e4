export * from './lib/registry-service.config';
export * from './lib/registry-service';
export type { PolicyCheck, PromotionPolicies } from './lib/promotions/policy-check.port';
export { GatewayPolicyCheck } from './lib/promotions/gateway-policy-check.adapter';
export type { GatewayPolicyCheckOptions } from './lib/promotions/gateway-policy-check.adapter';
