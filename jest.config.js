// One jest run covers the plugin's unit tests and the e2e suite; select with --selectProjects unit|e2e.
module.exports = {
  projects: ['<rootDir>/packages/nx-image-graph', '<rootDir>/packages/e2e'],
};
