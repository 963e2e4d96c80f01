#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS,
  baseUser,
  planCatalog,
  startPlan
} from "./chunk-X4LKITOK.js";
import "./chunk-B6HO2RR2.js";
import "./chunk-IBEICT4M.js";
import "./chunk-SCQLJQHS.js";
import "./chunk-EESE7KYM.js";
import "./chunk-5A2P77KC.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-MV6IGXHU.js";
import "./chunk-T4E4HH4Z.js";
import "./chunk-TQMSZ7SH.js";
import {
  builtReference
} from "./chunk-WSEJIW4R.js";
import "./chunk-54TCZN6E.js";
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
