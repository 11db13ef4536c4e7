// `node --import ./imports-recorder.mjs …` with SOS_RECORD_IMPORTS=<file>: records every module the
// process loads (ESM and the CommonJS it imports by `import`) into that file.
import { register } from "node:module";

register("./imports-hooks.mjs", import.meta.url, { data: { file: process.env.SOS_RECORD_IMPORTS } });
