import type { Infrastructure } from './infrastructure';

export default async function integrationGlobalTeardown(): Promise<void> {
  await (globalThis as { __provInfrastructure?: Infrastructure }).__provInfrastructure?.stop();
}
