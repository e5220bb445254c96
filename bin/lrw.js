#!/usr/bin/env node
// Launcher for `lrw` (CommonJS: package.json has no "type": "module"). The command itself is bundled
// by `npm run build` into dist/cli/lrw.cjs; this file only loads it and hands over the arguments.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'cli', 'lrw.cjs');
if (!fs.existsSync(bundle)) {
  console.error(`lrw 尚未构建：未找到 ${bundle}。\n请先在项目目录运行 npm run build，然后重试。`);
  process.exit(1);
}

const cli = require(bundle);
// The bundle runs itself only when it is the entry script; required from here, we call run().
if (typeof cli.run === 'function') {
  cli
    .run(process.argv.slice(2), { out: (s) => console.log(s), err: (s) => console.error(s), env: process.env })
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        console.error(`[内部错误] ${(err && err.stack) || err}`);
        process.exitCode = 1;
      },
    );
}
