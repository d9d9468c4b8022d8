'use strict';
const { na } = require('../common');

na('fork', 'Node has no fork(); child_process always execs a program');
