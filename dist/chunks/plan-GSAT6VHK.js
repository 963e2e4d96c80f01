#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS,
  builtReference,
  digestOf,
  planCatalog
} from "./chunk-PRZEJDWX.js";
import "./chunk-4M6ENYI2.js";
import "./chunk-IBEICT4M.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-4U5Q23ZP.js";
import "./chunk-U2AYVG4A.js";
import "./chunk-XML4HPHG.js";
export {
  PLAN_ACTIONS,
  builtReference,
  digestOf,
  planCatalog
};
