#include "sys/io.h"

#include "args.h"
#include "register.h"
#include "wait.h"

namespace napi_glue {
namespace {

// read(fd, view, count) -> n | -errno
template <sys::Eintr E>
napi_value Read(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  Bytes b = to_bytes(env, a[1]);
  return from_long(env, sys::read(to_i32(env, a[0]), b.data, to_count(env, a[2], b), E));
}

// write(fd, view, count) -> n | -errno
template <sys::Eintr E>
napi_value Write(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  Bytes b = to_bytes(env, a[1]);
  return from_long(env, sys::write(to_i32(env, a[0]), b.data, to_count(env, a[2], b), E));
}

// close(fd) -> 0 | -errno. Calls of posix-ipc/promises waiting on fd in other threads hear of
// it once it is closed (wait.h); with none, that costs one load.
napi_value Close(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  int fd = to_i32(env, a[0]);
  sys::FileId file;
  bool tell = wait::waiting_elsewhere(env, fd, &file);
  long rc = sys::close(fd);
  if (rc == 0 && tell) wait::closed_elsewhere(env, fd, file);
  return from_long(env, rc);
}

// fcntl(fd, cmd, arg) -> result | -errno
napi_value Fcntl(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  return from_long(env, sys::fcntl(to_i32(env, a[0]), to_i32(env, a[1]), to_i32(env, a[2], 0)));
}

}  // namespace

void register_io(napi_env env, napi_value exports, napi_value raw) {
  define(env, exports, "read", Read<sys::Eintr::retry>);
  define(env, raw, "read", Read<sys::Eintr::report>);
  define(env, exports, "write", Write<sys::Eintr::retry>);
  define(env, raw, "write", Write<sys::Eintr::report>);
  define(env, exports, "close", Close);
  define(env, raw, "close", Close);
  define(env, exports, "fcntl", Fcntl);
  define(env, raw, "fcntl", Fcntl);
}

}  // namespace napi_glue
