#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog
} from "./chunk-ULMEU7JU.js";
import "./chunk-VV4PSRUF.js";
import "./chunk-IBEICT4M.js";
import "./chunk-O2WR4GCC.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-U2AYVG4A.js";
import "./chunk-TQMSZ7SH.js";
import "./chunk-4U5Q23ZP.js";
import "./chunk-XML4HPHG.js";
export {
  PLAN_ACTIONS,
  baseUser,
  builtReference,
  planCatalog
};
