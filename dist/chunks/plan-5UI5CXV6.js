#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog,
  startPlan
} from "./chunk-HJBZTAI7.js";
import "./chunk-DJ3FQPQ6.js";
import "./chunk-IBEICT4M.js";
import "./chunk-SCQLJQHS.js";
import "./chunk-JO3CZBFB.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-MV6IGXHU.js";
import "./chunk-U2AYVG4A.js";
import "./chunk-TQMSZ7SH.js";
import "./chunk-OMVQJ2GV.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-V4OKTXNJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";
export {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog,
  startPlan
};
