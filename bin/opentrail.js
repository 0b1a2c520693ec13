#!/usr/bin/env -S node --max-semi-space-size=4
// The `opentrail` command: runs the compiled CLI (built by `npm install` through the prepare script).
// The node flags are the server's (src/cli/heap-settings.ts SERVER_NODE_FLAGS); `npm start` passes the same.
import '../dist/src/cli/main.js';
