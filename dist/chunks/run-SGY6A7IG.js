#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  formatRunJson,
  publishedLine
} from "./chunk-J3N4PR3I.js";
import "./chunk-XML4HPHG.js";
export {
  formatRunJson,
  publishedLine
};
