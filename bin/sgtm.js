#!/usr/bin/env node

// Thin launcher for the CLI compiled to dist/ (`npm ci` builds it through the `prepare` script).
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const main = join(__dirname, "..", "dist", "src", "cli", "main.js");
if (!existsSync(main)) {
  process.stderr.write("sgtm is not built yet: run `npm run build` in the sgtm-tiktok-kit folder.\n");
  process.exit(1);
}
require(main);
