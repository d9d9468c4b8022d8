#include "sys/io.h"
#include "sys/pipe.h"

#include "args.h"
#include "register.h"

namespace napi_glue {
namespace {

// Both pipe calls fill an Int32Array(2) the caller owns: pipe(out) -> 0 | -errno.
napi_value PipeResult(napi_env env, napi_value out, long rc, const int fds[2]) {
  if (rc == 0) {
    Bytes b = to_bytes(env, out);
    if (b.size < 2 * sizeof(int32_t)) {  // nowhere to put them: do not leak them
      sys::close(fds[0]);
      sys::close(fds[1]);
      return from_long(env, -EINVAL);
    }
    static_cast<int32_t*>(b.data)[0] = fds[0];
    static_cast<int32_t*>(b.data)[1] = fds[1];
  }
  return from_long(env, rc);
}

napi_value Pipe(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  int fds[2] = {-1, -1};
  long rc = sys::pipe(fds);
  return PipeResult(env, a[0], rc, fds);
}

// pipe2(out, flags) -> 0 | -errno
napi_value Pipe2(napi_env env, napi_callback_info info) {
  Args<2> a(env, info);
  int fds[2] = {-1, -1};
  long rc = sys::pipe2(fds, to_i32(env, a[1], 0));
  return PipeResult(env, a[0], rc, fds);
}

}  // namespace

void register_pipe(napi_env env, napi_value exports, napi_value raw) {
  define(env, exports, "pipe", Pipe);
  define(env, raw, "pipe", Pipe);
  define(env, exports, "pipe2", Pipe2);
  define(env, raw, "pipe2", Pipe2);
}

}  // namespace napi_glue
