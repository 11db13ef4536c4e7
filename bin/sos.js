#!/usr/bin/env node
// The `sos` command. The program is TypeScript run through tsx, so there is no build step between
// `npm install` and `npm start`.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
