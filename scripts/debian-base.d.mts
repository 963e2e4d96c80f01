/** Types for debian-base.mjs, which the demo (plain Node) and the tests (TypeScript) share. */
export declare const BASE_TARBALL: string;
export declare function debianMirror(): string;
export declare function debianTarball(log?: (line: string) => void): Promise<string>;
export declare function seedDebianBase(
  host: string,
  log?: (line: string) => void,
  creds?: { username: string; password: string },
): Promise<{ plain: string; withUser: string }>;
