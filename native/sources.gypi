{
  "sources": [
    "sys/constants.cc",
    "sys/errors.cc",
    "sys/io.cc",
    "sys/pipe.cc",
    "sys/poll.cc",
    "sys/promises.cc",
    "napi/module.cc",
    "napi/io.cc",
    "napi/pipe.cc",
    "napi/poll.cc",
    "napi/promises.cc",
    "napi/wait.cc"
  ]
}
