{
  "sources": [
    "sys/constants.cc",
    "sys/errors.cc",
    "sys/fds.cc",
    "sys/io.cc",
    "sys/pipe.cc",
    "napi/module.cc",
    "napi/fds.cc",
    "napi/io.cc",
    "napi/pipe.cc"
  ]
}
