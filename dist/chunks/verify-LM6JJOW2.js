#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  ContractFailure,
  contractSummary,
  countByManager,
  formatBytes,
  inspectBuiltImage,
  meaningfulTail,
  packageDelta,
  verifiedImages
} from "./chunk-ALID3MX5.js";
import "./chunk-FXXF4CZO.js";
import "./chunk-SCQLJQHS.js";
import "./chunk-MV6IGXHU.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-V4OKTXNJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";
export {
  ContractFailure,
  contractSummary,
  countByManager,
  formatBytes,
  inspectBuiltImage,
  meaningfulTail,
  packageDelta,
  verifiedImages
};
