export * from './lib/decoding/load-trusted-keys';
export * from './lib/projector.config';
export * from './lib/open-lineage-store';
export * from './lib/projector-service';
export { readPlatformStatus } from './lib/status/platform-status';
export { auditLogGroupId } from './lib/generations/generation-names';
export * from './lib/audit/audit-log-feed';
export * from './lib/audit/audit-evidence.reader';
export type { AlertNotification } from './lib/alerts/webhook-alert-notifier';
