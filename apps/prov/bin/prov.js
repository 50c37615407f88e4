#!/usr/bin/env node
// `npx prov`: runs the CLI from its TypeScript sources (SWC compiles them as they load).
const { join } = require('node:path');

process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT ?? join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
require('../src/main.ts');
