#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// package.json
var package_default = {
  name: "imagesmith",
  version: "0.1.0",
  description: "Container images as code for ML platforms: validate, plan, build, push and publish an image catalog from YAML.",
  type: "module",
  license: "Apache-2.0",
  repository: {
    type: "git",
    url: "git+https://github.com/imagesmith/imagesmith.git"
  },
  engines: {
    node: ">=20.5.0"
  },
  bin: {
    imagesmith: "dist/cli.js"
  },
  files: [
    "dist/cli.js",
    "dist/chunks",
    "schemas",
    "CHANGELOG.md"
  ],
  scripts: {
    build: "node scripts/bundle.mjs",
    format: "prettier --write .",
    "format:check": "prettier --check .",
    lint: "eslint --max-warnings 0 .",
    typecheck: "tsc --noEmit",
    test: "vitest run",
    "test:unit": "vitest run --project unit",
    bench: "node scripts/bench.mjs",
    all: "npm run format && npm run lint && npm run typecheck && npm test && npm run build",
    demo: "node scripts/demo.mjs",
    pretest: "node scripts/ensure-tools.mjs"
  },
  devDependencies: {
    "@actions/core": "^3.0.1",
    "@actions/github": "^9.1.1",
    "@actions/workflow-parser": "^0.3.61",
    "@eslint/js": "^9.39.5",
    "@types/js-yaml": "^4.0.9",
    "@types/node": "^20.19.43",
    ajv: "^8.20.0",
    "axe-core": "^4.14.1",
    commander: "^14.0.3",
    diff: "^8.0.4",
    esbuild: "^0.28.2",
    eslint: "^9.39.5",
    execa: "^9.6.1",
    globals: "^16.5.0",
    graphql: "^16.15.0",
    handlebars: "^4.7.10",
    "js-yaml": "^4.3.2",
    "playwright-core": "^1.65.1",
    prettier: "^3.10.1",
    typescript: "~6.0.3",
    "typescript-eslint": "^8.74.0",
    vitest: "^4.1.12",
    "vscode-languageserver-textdocument": "^1.0.16",
    yaml: "^2.9.1",
    "yaml-language-server": "~1.25.0"
  },
  overrides: {
    "content-type": "^2.1.0"
  }
};

// src/version.ts
var VERSION = package_default.version;

export {
  VERSION
};
