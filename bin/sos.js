#!/usr/bin/env node
// The `sos` command runs the compiled JavaScript in dist/ (`npm run build`). When dist/ is missing or
// older than the sources (a fresh clone, a `git pull`, an edit) it is rebuilt first, so
// `npm install && npm start` and a developer's next `sos …` always run the current sources.
import { ensureBuilt } from "./build.js";

if (ensureBuilt().ok) await import("../dist/src/cli/main.js");
else process.exitCode = 1;
