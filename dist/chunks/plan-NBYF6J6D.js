#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog,
  startPlan
} from "./chunk-RAOCWSUS.js";
import "./chunk-6FRACNGL.js";
import "./chunk-IBEICT4M.js";
import "./chunk-4W7UZKI6.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-MV6IGXHU.js";
import "./chunk-U2AYVG4A.js";
import "./chunk-TQMSZ7SH.js";
import "./chunk-6B6NPQPC.js";
import "./chunk-HQ5H5ZHG.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";
export {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog,
  startPlan
};
