{
  "sources": [
    "sys/constants.cc",
    "sys/errors.cc",
    "sys/io.cc",
    "sys/pipe.cc",
    "napi/module.cc",
    "napi/io.cc",
    "napi/pipe.cc"
  ]
}
