#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  ExecError,
  groupEnded,
  groupMembers,
  handOver,
  redact,
  run,
  signalProcess,
  stream
} from "./chunk-LIJCRL7V.js";
import "./chunk-XML4HPHG.js";
export {
  ExecError,
  groupEnded,
  groupMembers,
  handOver,
  redact,
  run,
  signalProcess,
  stream
};
