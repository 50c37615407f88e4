// For adapters' specs only: the shared contract suite uses Jest globals, so
// it stays out of the main entry point.
export { describeEventLogContract } from './lib/event-log.contract';
export type { EventLogContractSubject } from './lib/event-log.contract';
