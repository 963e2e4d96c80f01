#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  formatImageReference,
  parseImageReference,
  registryHostOf,
  repositoryOf
} from "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-XML4HPHG.js";
export {
  formatImageReference,
  parseImageReference,
  registryHostOf,
  repositoryOf
};
