#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog
} from "./chunk-Q7J2VIKN.js";
import "./chunk-54IFXMXQ.js";
import "./chunk-IBEICT4M.js";
import "./chunk-SFRFO4ID.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-KO75DYYU.js";
import "./chunk-4U5Q23ZP.js";
import "./chunk-XML4HPHG.js";
export {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog
};
