'use strict';
// Preloaded (node -r) by bench/run.js's "trace on→off" column: turns posix-ipc's tracing on (lines
// dropped) and off again before the workload loads posix-ipc itself. The workload then runs exactly
// as in the posix-ipc column; the two columns side by side show what tracing costs once turned off
// (issue: "off, it costs nothing that bench/ can measure").
const { trace } = require('posix-ipc');

trace(() => {});
trace(false);
