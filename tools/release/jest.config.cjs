// The release checks spawn npm, attw, publint and node, and run on the built packages (Nx builds every
// package first: they are this project's dev dependencies).
module.exports = { ...require('../../config/jest.preset.cjs'), testTimeout: 120000 };
