// `nx release version` for images: Nx loads this path from the project's release configuration.
'use strict';
module.exports = require('../dist/release/image-version-actions');
