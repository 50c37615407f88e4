/** @type {import('jest').Config} */
module.exports = {
  displayName: require('./project.json').name,
  preset: '../../.config/jest.preset.js',
  // No unit tests here: the suites are *.int-spec.ts, run by the integration target against running services.
  passWithNoTests: true,
};
