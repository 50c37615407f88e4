// Jest config of integration suites (`*.int-spec.ts`): real Kafka and a real
// MongoDB-wire store, provided once per run by libs/testing's global setup.
const path = require('node:path');
const unit = require('./jest.preset');

const testing = path.resolve(__dirname, '..', 'libs', 'testing', 'src', 'lib');

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  globalSetup: path.join(testing, 'integration.global-setup.ts'),
  globalTeardown: path.join(testing, 'integration.global-teardown.ts'),
  testTimeout: 120_000,
};
