'use strict';
const { na } = require('../common');

na('dgram-unix', "Node's dgram has no AF_UNIX sockets");
