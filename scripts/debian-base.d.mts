/** Types for debian-base.mjs, which the demo (plain Node) and the tests (TypeScript) share. */
export declare const DEBIAN_CACHE_DIR: string;
export declare const DEBIAN_TARBALL: string;
export interface DebianBaseOptions {
  /** `config.User` of the pushed image; without it the image runs as root. */
  user?: string;
  /** Throwaway test credentials for a registry that wants a login. */
  creds?: { username: string; password: string };
  log?: (line: string) => void;
}
/** Pushes the Debian bookworm minbase image to `${host}/upstream/debian:bookworm` (or `:bookworm-user-<user>`); resolves to that reference. */
export declare function debianBase(host: string, options?: DebianBaseOptions): Promise<string>;
export interface PythonBaseOptions {
  /** Throwaway test credentials for a registry that wants a login. */
  creds?: { username: string; password: string };
  log?: (line: string) => void;
}
/** Pushes the bookworm minbase image with python3-pip installed to `${host}/upstream/debian:bookworm-python`; resolves to that reference. */
export declare function pythonBase(host: string, options?: PythonBaseOptions): Promise<string>;
export declare function ensureTarball(log?: (line: string) => void): Promise<string>;
export declare function debianMirror(): Promise<string>;
export declare function seedDebianBase(
  host: string,
  log?: (line: string) => void,
  creds?: { username: string; password: string },
): Promise<{ plain: string; withUser: string }>;
