{
  # The one list of C++ sources lives in native/sources.gypi (strict JSON, also read by
  # CMakeLists.txt); the one N-API version is package.json's binary.napi_versions[0].
  "targets": [
    {
      "target_name": "posix_ipc",
      "includes": ["native/sources.gypi"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api"],
      # native/ is searched for "quoted" includes only: native/sys/poll.h must not stand in for the
      # system's <sys/poll.h> (which <poll.h> includes), nor sys/socket.h for <sys/socket.h>.
      "cflags": ["-iquote", "<(module_root_dir)/native"],
      "defines": [
        "NAPI_VERSION=<!(node -p \"require('./package.json').binary.napi_versions[0]\")"
      ],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags_cc!": ["-std=gnu++17"],
      "configurations": {
        "Debug": { "defines": ["NODE_ADDON_API_ENABLE_TYPE_CHECK_ON_AS"] }
      }
    }
  ]
}
