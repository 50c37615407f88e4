/** @type {import('jest').Config} */
module.exports = {
  displayName: require('./project.json').name,
  preset: '../../.config/jest.preset.js',
};
