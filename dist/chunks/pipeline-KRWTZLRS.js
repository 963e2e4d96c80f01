#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  CONFIG_FILE,
  LOG_DIR,
  PUBLISHED_CATALOG,
  RESULTS_DIR,
  SITE_MARKER,
  WORK_DIR,
  catalogBuilder,
  doctor,
  exportCatalog,
  imageLog,
  newImage,
  plan,
  publish,
  pullCatalog,
  readPublishedCatalog,
  render,
  resultFileFor,
  runAll,
  servedCatalog,
  site,
  syncPrimeHub,
  validate,
  verify
} from "./chunk-UAOCSEVF.js";
import "./chunk-B6HO2RR2.js";
import "./chunk-IBEICT4M.js";
import "./chunk-SCQLJQHS.js";
import "./chunk-T4E4HH4Z.js";
import "./chunk-TQMSZ7SH.js";
import "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";
export {
  CONFIG_FILE,
  LOG_DIR,
  PUBLISHED_CATALOG,
  RESULTS_DIR,
  SITE_MARKER,
  WORK_DIR,
  catalogBuilder,
  doctor,
  exportCatalog,
  imageLog,
  newImage,
  plan,
  publish,
  pullCatalog,
  readPublishedCatalog,
  render,
  resultFileFor,
  runAll,
  servedCatalog,
  site,
  syncPrimeHub,
  validate,
  verify
};
