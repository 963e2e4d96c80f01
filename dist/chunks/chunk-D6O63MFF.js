#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);

// src/errors.ts
var UsageError = class extends Error {
  stage = "usage";
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
};
var InputError = class extends Error {
  stage = "input";
  constructor(message, options) {
    super(message, options);
    this.name = "InputError";
  }
};

export {
  UsageError,
  InputError
};
