// What the process calls share with posix-ipc/promises' waitpid (napi/promises.cc).
#pragma once
#include <node_api.h>

namespace napi_glue {

// Writes a wait status word, taken apart, into `out` (an Int32Array(4) lib/process.ts reads):
// [status, kind, value, core dumped].
void write_wait_status(napi_env env, napi_value out, int status) noexcept;

}  // namespace napi_glue
