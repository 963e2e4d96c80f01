#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog
} from "./chunk-M6R2JASP.js";
import "./chunk-CNVGEUF7.js";
import "./chunk-IBEICT4M.js";
import "./chunk-O2WR4GCC.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-U2AYVG4A.js";
import "./chunk-TQMSZ7SH.js";
import "./chunk-4U5Q23ZP.js";
import "./chunk-O66IFTGJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";
export {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog
};
