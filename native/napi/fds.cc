#include "sys/fds.h"

#include "args.h"
#include "register.h"

namespace napi_glue {
namespace {

// fionread(fd) -> bytes | -errno
napi_value Fionread(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  return from_long(env, sys::fionread(to_i32(env, a[0])));
}

// pidfd_open(pid) -> fd | -errno
napi_value PidfdOpen(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  return from_long(env, sys::pidfd_open(to_i32(env, a[0])));
}

// pidfd_getfd(pidfd, fd) -> fd | -errno
napi_value PidfdGetfd(napi_env env, napi_callback_info info) {
  Args<2> a(env, info);
  return from_long(env, sys::pidfd_getfd(to_i32(env, a[0]), to_i32(env, a[1])));
}

}  // namespace

void register_fds(napi_env env, napi_value exports, napi_value raw) {
  define(env, exports, "fionread", Fionread);
  define(env, raw, "fionread", Fionread);
  define(env, exports, "pidfd_open", PidfdOpen);
  define(env, raw, "pidfd_open", PidfdOpen);
  define(env, exports, "pidfd_getfd", PidfdGetfd);
  define(env, raw, "pidfd_getfd", PidfdGetfd);
}

}  // namespace napi_glue
