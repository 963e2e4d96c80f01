#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog
} from "./chunk-V5RSF7FJ.js";
import "./chunk-QZQMAPQY.js";
import "./chunk-IBEICT4M.js";
import "./chunk-KLZXZWHA.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-MV6IGXHU.js";
import "./chunk-U2AYVG4A.js";
import "./chunk-TQMSZ7SH.js";
import "./chunk-LYDJGGA5.js";
import "./chunk-HQ5H5ZHG.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";
export {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog
};
