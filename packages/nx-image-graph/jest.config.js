module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'unit',
  rootDir: __dirname,
  // readme.spec.ts checks the package README against the schemas.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/readme.spec.ts'],
};
