/** @type {import('jest').Config} */
module.exports = {
  displayName: require('./project.json').name,
  preset: '../../.config/jest.preset.js',
  // Building the project graph reads the whole workspace.
  testTimeout: 60_000,
};
