#include "sys/poll.h"

#include "args.h"
#include "register.h"

namespace napi_glue {
namespace {

// poll(fds, nfds, timeout) -> ready count | -errno. `fds` is an Int32Array over the caller's
// struct pollfd array (see sys/poll.h); the kernel writes each entry's revents into it.
template <sys::Eintr E>
napi_value Poll(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  Bytes b = to_bytes(env, a[0]);
  std::size_t n = to_items(env, a[1], b, sizeof(struct pollfd));
  return from_long(env, sys::poll(static_cast<struct pollfd*>(b.data), n, to_i32(env, a[2]), E));
}

}  // namespace

void register_poll(napi_env env, napi_value exports, napi_value raw) {
  define(env, exports, "poll", Poll<sys::Eintr::retry>);
  define(env, raw, "poll", Poll<sys::Eintr::report>);
}

}  // namespace napi_glue
