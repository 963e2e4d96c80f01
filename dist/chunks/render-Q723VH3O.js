#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  TEMPLATE_VERSION,
  imageLabels,
  isRootUser,
  recipeHash,
  renderDockerfile,
  renderRecipe,
  urlCredentials
} from "./chunk-O66IFTGJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";
export {
  TEMPLATE_VERSION,
  imageLabels,
  isRootUser,
  recipeHash,
  renderDockerfile,
  renderRecipe,
  urlCredentials
};
