// Shared Jest preset: SWC transpiles TypeScript (with the legacy decorators and
// decorator metadata that class-validator relies on); type checking is the
// separate `typecheck` target, so tests stay fast.
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.[tj]s$': [
      require.resolve('@swc/jest'),
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // Dependencies that ship as ES modules only (Node loads them with require(esm), Jest does not).
  transformIgnorePatterns: ['/node_modules/(?!(canonicalize|content-disposition)/)'],
  moduleNameMapper: require('./jest.paths').moduleNameMapper(root),
};
