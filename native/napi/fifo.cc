#include "sys/fifo.h"

#include "args.h"
#include "register.h"
#include "strings.h"

namespace napi_glue {
namespace {

// mkfifo(path, mode) -> 0 | -errno
napi_value Mkfifo(napi_env env, napi_callback_info info) {
  Args<2> a(env, info);
  CString path(env, a[0]);
  if (!path.ok()) return from_long(env, -EINVAL);
  return from_long(env, sys::mkfifo(path.get(), static_cast<mode_t>(to_i32(env, a[1], 0))));
}

// open(path, flags, mode) -> fd | -errno
template <sys::Eintr E>
napi_value Open(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  CString path(env, a[0]);
  if (!path.ok()) return from_long(env, -EINVAL);
  return from_long(env, sys::open(path.get(), to_i32(env, a[1], 0), static_cast<mode_t>(to_i32(env, a[2], 0)), E));
}

// unlink(path) -> 0 | -errno
napi_value Unlink(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  CString path(env, a[0]);
  if (!path.ok()) return from_long(env, -EINVAL);
  return from_long(env, sys::unlink(path.get()));
}

}  // namespace

void register_fifo(napi_env env, napi_value exports, napi_value raw) {
  define(env, exports, "mkfifo", Mkfifo);
  define(env, raw, "mkfifo", Mkfifo);
  define(env, exports, "open", Open<sys::Eintr::retry>);
  define(env, raw, "open", Open<sys::Eintr::report>);
  define(env, exports, "unlink", Unlink);
  define(env, raw, "unlink", Unlink);
}

}  // namespace napi_glue
