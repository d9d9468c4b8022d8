// One registration function per topic file of native/napi, called by module.cc.
//
// Each registers its calls twice: on `exports` the ones that restart on EINTR (posix-ipc), on
// `raw` the ones that report it (posix-ipc/raw). Calls with no EINTR difference go on both.
#pragma once
#include <node_api.h>

namespace napi_glue {

void register_io(napi_env env, napi_value exports, napi_value raw);
void register_pipe(napi_env env, napi_value exports, napi_value raw);
void register_fds(napi_env env, napi_value exports, napi_value raw);
void register_socket(napi_env env, napi_value exports, napi_value raw);
void register_address(napi_env env, napi_value exports, napi_value raw);
void register_poll(napi_env env, napi_value exports, napi_value raw);
// posix-ipc/promises: its calls go on exports.promises (wait.h), which has no raw variant.
void register_promises(napi_env env, napi_value exports, napi_value raw);
void register_process(napi_env env, napi_value exports, napi_value raw);
void register_fifo(napi_env env, napi_value exports, napi_value raw);
void register_redirect(napi_env env, napi_value exports, napi_value raw);

}  // namespace napi_glue
