// Maps the workspace's TypeScript path aliases (tsconfig.base.json) to Jest
// module names, so that there is one list of aliases.
const fs = require('node:fs');
const path = require('node:path');

function moduleNameMapper(root) {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  const mapper = {};
  for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths ?? {})) {
    mapper[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = path.join(root, target);
  }
  return mapper;
}

module.exports = { moduleNameMapper };
