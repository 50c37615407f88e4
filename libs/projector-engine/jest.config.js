/** @type {import('jest').Config} */
module.exports = {
  displayName: require('./project.json').name,
  preset: '../../.config/jest.preset.js',
  // These specs run a whole projector over a file log; on a loaded machine that takes longer than jest's 5 s default.
  testTimeout: 30_000,
};
