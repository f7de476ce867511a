#!/usr/bin/env node
// A committed stub so the bin exists before the first build (pnpm links bins at install).
await import('../dist/repair-bin.js');
