// `nx release version` for images: Nx loads this path from the project's release configuration.
'use strict';
module.exports = require('../dist/distribution/release/image-version-actions');
