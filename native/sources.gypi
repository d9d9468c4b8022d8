{
  "sources": [
    "sys/constants.cc",
    "sys/errors.cc",
    "sys/io.cc",
    "sys/pipe.cc",
    "sys/redirect.cc",
    "napi/module.cc",
    "napi/io.cc",
    "napi/pipe.cc",
    "napi/redirect.cc"
  ]
}
