/** The PEP 503 wheel index for pip tests: one implementation, shared with the benchmark (scripts/wheel-index.mjs). */
export {
  crc32,
  normalizeProjectName,
  startWheelIndex,
  tableCrc32,
} from "../../scripts/wheel-index.mjs";
export type {
  AddWheelOptions,
  IndexedWheel,
  IndexRequest,
  WheelIndex,
  WheelIndexOptions,
} from "../../scripts/wheel-index.mjs";
