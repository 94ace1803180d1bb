#!/usr/bin/env node
'use strict';
// The CLI is compiled to dist/ by `npm install` (the prepare script runs `npm run build`).
require('../dist/cli/main.js');
