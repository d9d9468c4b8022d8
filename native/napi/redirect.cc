#include "sys/redirect.h"

#include "args.h"
#include "register.h"

namespace napi_glue {
namespace {

// dup(fd) -> newfd | -errno
napi_value Dup(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  return from_long(env, sys::dup(to_i32(env, a[0])));
}

// dup2(oldfd, newfd) -> newfd | -errno
template <sys::Eintr E>
napi_value Dup2(napi_env env, napi_callback_info info) {
  Args<2> a(env, info);
  return from_long(env, sys::dup2(to_i32(env, a[0]), to_i32(env, a[1]), E));
}

}  // namespace

void register_redirect(napi_env env, napi_value exports, napi_value raw) {
  define(env, exports, "dup", Dup);
  define(env, raw, "dup", Dup);
  define(env, exports, "dup2", Dup2<sys::Eintr::retry>);
  define(env, raw, "dup2", Dup2<sys::Eintr::report>);
}

}  // namespace napi_glue
