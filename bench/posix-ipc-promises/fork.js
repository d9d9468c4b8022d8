'use strict';
const { na } = require('../common');

na('fork', 'fork() is synchronous: see the posix-ipc column');
