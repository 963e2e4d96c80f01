#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog
} from "./chunk-C2NLX3V2.js";
import "./chunk-QZQMAPQY.js";
import "./chunk-IBEICT4M.js";
import "./chunk-HRU7PITI.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-U2AYVG4A.js";
import "./chunk-TQMSZ7SH.js";
import "./chunk-LYDJGGA5.js";
import "./chunk-O66IFTGJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";
export {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog
};
