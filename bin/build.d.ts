// Types for bin/build.js (plain JavaScript, because it runs before anything is compiled).
export declare const ROOT: string;
export declare function newestSource(): number;
export declare function isFresh(): boolean;
export declare function build(options?: { check?: boolean }): {
  ok: boolean;
  typeErrors: boolean;
  missingTsc: boolean;
};
export declare function ensureBuilt(say?: (line: string) => void): { ok: boolean; built: boolean };
