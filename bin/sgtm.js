#!/usr/bin/env node

// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm start`/`npm run synth`).
require("../dist/src/cli/main.js");
