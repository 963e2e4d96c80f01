#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  ImagePlanError,
  builtReference,
  catalogBase,
  mirroredBase,
  parsePlatform,
  parseReference,
  planRecipe,
  registryBaseFrom,
  servedRecipe,
  stripDigest
} from "./chunk-WSEJIW4R.js";
import "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-V4OKTXNJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";
export {
  ImagePlanError,
  builtReference,
  catalogBase,
  mirroredBase,
  parsePlatform,
  parseReference,
  planRecipe,
  registryBaseFrom,
  servedRecipe,
  stripDigest
};
