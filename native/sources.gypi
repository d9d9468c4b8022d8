{
  "sources": [
    "sys/constants.cc",
    "sys/errors.cc",
    "sys/io.cc",
    "sys/pipe.cc",
    "sys/process.cc",
    "sys/fifo.cc",
    "sys/redirect.cc",
    "napi/module.cc",
    "napi/io.cc",
    "napi/pipe.cc",
    "napi/process.cc",
    "napi/fifo.cc",
    "napi/redirect.cc"
  ]
}
