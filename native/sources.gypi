{
  "sources": [
    "sys/constants.cc",
    "sys/errors.cc",
    "sys/fds.cc",
    "sys/io.cc",
    "sys/pipe.cc",
    "sys/socket.cc",
    "sys/address.cc",
    "napi/module.cc",
    "napi/fds.cc",
    "napi/io.cc",
    "napi/pipe.cc",
    "napi/socket.cc",
    "napi/address.cc"
  ]
}
