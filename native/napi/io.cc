#include "sys/io.h"

#include <new>

#include "args.h"
#include "fastpath.h"
#include "register.h"
#include "sys/socket.h"
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

// The fast path (fastpath.h): fast.read(), fast.write(), fast.recv() and fast.send() take their
// arguments from the block and leave the result there; fast.bindIn(view) / fast.bindOut(view) keep
// a view's address and return its size in bytes (0 for what is not a view, or a detached one).
napi_value FastRead(napi_env env, napi_callback_info info) {
  FastPath* p = fast_path(env, info);
  p->block.result = static_cast<int32_t>(sys::read(p->block.fd, p->in.data, fast_count(p->block, p->in)));
  return nullptr;
}

napi_value FastWrite(napi_env env, napi_callback_info info) {
  FastPath* p = fast_path(env, info);
  p->block.result = static_cast<int32_t>(sys::write(p->block.fd, p->out.data, fast_count(p->block, p->out)));
  return nullptr;
}

napi_value FastRecv(napi_env env, napi_callback_info info) {
  FastPath* p = fast_path(env, info);
  p->block.result = static_cast<int32_t>(sys::recv(p->block.fd, p->in.data, fast_count(p->block, p->in), p->block.flags));
  return nullptr;
}

napi_value FastSend(napi_env env, napi_callback_info info) {
  FastPath* p = fast_path(env, info);
  p->block.result = static_cast<int32_t>(sys::send(p->block.fd, p->out.data, fast_count(p->block, p->out), p->block.flags));
  return nullptr;
}

template <Bytes FastPath::*Slot>
napi_value FastBind(napi_env env, napi_callback_info info) {
  void* data = nullptr;
  std::size_t argc = 1;
  napi_value view;
  napi_get_cb_info(env, info, &argc, &view, nullptr, &data);
  FastPath* p = static_cast<FastPath*>(data);
  p->*Slot = argc == 1 ? to_bytes(env, view) : Bytes{};
  return from_long(env, static_cast<long>((p->*Slot).size));
}

void define_with(napi_env env, napi_value obj, const char* name, napi_callback fn, void* data) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, data, &f);
  napi_set_named_property(env, obj, name, f);
}

// exports.fast = { block, read, write, recv, send, bindIn, bindOut }, or nothing where the runtime refuses
// external ArrayBuffers (lib/io.ts then always takes the plain path).
void register_fast(napi_env env, napi_value exports) {
  FastPath* p = new (std::nothrow) FastPath{};
  if (p == nullptr) return;
  napi_value block;
  if (napi_create_external_arraybuffer(env, &p->block, sizeof p->block, nullptr, nullptr, &block) != napi_ok) {
    delete p;
    return;
  }
  // The block is this struct's memory, not V8's: detaching the ArrayBuffer cannot free it. It lives
  // as long as the environment.
  napi_add_env_cleanup_hook(env, [](void* q) { delete static_cast<FastPath*>(q); }, p);
  napi_value fast;
  napi_create_object(env, &fast);
  napi_set_named_property(env, fast, "block", block);
  define_with(env, fast, "read", FastRead, p);
  define_with(env, fast, "write", FastWrite, p);
  define_with(env, fast, "recv", FastRecv, p);
  define_with(env, fast, "send", FastSend, p);
  define_with(env, fast, "bindIn", FastBind<&FastPath::in>, p);
  define_with(env, fast, "bindOut", FastBind<&FastPath::out>, p);
  napi_set_named_property(env, exports, "fast", fast);
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
  register_fast(env, exports);
}

}  // namespace napi_glue
