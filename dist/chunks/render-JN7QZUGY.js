#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PACKAGE_CACHE_ROOT,
  TEMPLATE_VERSION,
  imageLabels,
  isRootUser,
  recipeContracts,
  recipeHash,
  renderDockerfile,
  renderRecipe,
  urlCredentials
} from "./chunk-V4OKTXNJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";
export {
  PACKAGE_CACHE_ROOT,
  TEMPLATE_VERSION,
  imageLabels,
  isRootUser,
  recipeContracts,
  recipeHash,
  renderDockerfile,
  renderRecipe,
  urlCredentials
};
