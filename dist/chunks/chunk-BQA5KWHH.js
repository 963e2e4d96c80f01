#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/registry/types.ts
var RegistryError = class extends Error {
  constructor(message, code, status, options) {
    super(message, options);
    this.code = code;
    this.status = status;
    this.name = "RegistryError";
  }
  code;
  status;
  stage = "registry";
};

export {
  RegistryError
};
