/** Types for wheel-index.mjs, which the benchmark (plain Node) and the tests (TypeScript) share. */
export interface WheelIndexOptions {
  /** Where wheels are written, and found again by a later run (keyed by name, version and size). */
  dir: string;
  /** Paces every file body at this rate (per response); unpaced without it. */
  bytesPerSecond?: number;
}
export interface AddWheelOptions {
  /** Size of the incompressible data file inside the wheel (default 0); the wheel weighs ~1 KiB more. */
  sizeBytes?: number;
}
export interface IndexedWheel {
  /** The project name as given to `add`. */
  name: string;
  version: string;
  /** `<name>-<version>-py3-none-any.whl`, name and version escaped as the wheel spec says. */
  file: string;
  /** The wheel on disk, under `dir`. */
  path: string;
  /** Hex sha256 of the whole wheel: the index links' `#sha256=` fragment and the file's ETag. */
  sha256: string;
  /** The wheel's size in bytes. */
  size: number;
}
export interface IndexRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The status answered; 0 while the handler has not answered yet. */
  status: number;
  /** Body bytes written (so far, for a file still being sent); 0 for HEAD and 304. */
  bytes: number;
}
export interface WheelIndex {
  /** http://127.0.0.1:PORT, the server root: pip's `--index-url` is `${url}/simple`. */
  url: string;
  /** 127.0.0.1:PORT, for pip's `--trusted-host`. */
  host: string;
  port: number;
  /** Makes (or finds under `dir`) a pure-Python wheel whose package says `VERSION = "<version>"`, and serves it. */
  add(name: string, version: string, options?: AddWheelOptions): Promise<IndexedWheel>;
  /** Every request seen since the start or the last `clear()`, in arrival order (copies). */
  requests(): IndexRequest[];
  clear(): void;
  stop(): Promise<void>;
}
/** Starts the index on a free 127.0.0.1 port. */
export declare function startWheelIndex(options: WheelIndexOptions): Promise<WheelIndex>;
/** PEP 503: lowercase, every run of "-", "_" and "." becomes one "-". */
export declare function normalizeProjectName(name: string): string;
/** CRC-32 as zip uses it: zlib's where Node has it, the table otherwise. */
export declare function crc32(data: Uint8Array): number;
/** The table-driven CRC-32 the index falls back to. */
export declare function tableCrc32(data: Uint8Array): number;
