// Shared ESLint flat config. Each project's eslint.config.mjs spreads it.
// The module-boundary rule is the architecture test of the workspace:
// apps may use libs, libs never use apps, the pure domain libs never depend
// on adapters (Kafka, MongoDB, files, HTTP), and feature libs (a service's
// routes and wiring, hosted by its own app and by the embedded platform)
// never depend on one another.
import nx from '@nx/eslint-plugin';

/** What each kind of project may import (test/architecture checks the same on the Nx graph). */
const MAY_DEPEND_ON = {
  'type:app': ['type:feature', 'type:domain', 'type:adapter', 'type:sdk'],
  'type:feature': ['type:domain', 'type:adapter', 'type:sdk'],
  'type:adapter': ['type:domain', 'type:adapter'],
  'type:sdk': ['type:domain'],
  'type:domain': ['type:domain'],
  'type:testing': ['type:domain', 'type:adapter', 'type:sdk', 'type:testing'],
  // Suites that run the platform (benchmarks): they may drive its feature libs too; nothing depends on them.
  'type:suite': ['type:feature', 'type:domain', 'type:adapter', 'type:sdk', 'type:testing'],
  // Pages bundled for the browser: the domain's types and browser-safe code, never servers or adapters.
  'type:web': ['type:domain', 'type:web'],
};

const boundaries = (extraTags) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: true,
    allow: [],
    depConstraints: Object.entries(MAY_DEPEND_ON).map(([sourceTag, tags]) => ({
      sourceTag,
      onlyDependOnLibsWithTags: [...new Set([...tags, ...extraTags])],
    })),
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/coverage', '**/*.schema.json'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    // Config files reach the shared config by path; they are not project code.
    ignores: ['**/eslint.config.mjs', '**/jest.config.js'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      // Declared property types feed decorator metadata (config conversion, DTO validation).
      '@typescript-eslint/no-inferrable-types': ['error', { ignoreProperties: true }],
    },
  },
  {
    // Tests (and their *.test-helper.ts files) may use the shared test harness (libs/testing) whatever the
    // project's type; production code may not.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.test-helper.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(['type:testing']),
    },
  },
];
