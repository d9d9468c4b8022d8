#include "sys/socket.h"

#include "sys/io.h"

#include "address.h"
#include "args.h"
#include "register.h"

namespace napi_glue {
namespace {

// socket(domain, type, protocol) -> fd | -errno
napi_value Socket(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  return from_long(env, sys::socket(to_i32(env, a[0]), to_i32(env, a[1]), to_i32(env, a[2], 0)));
}

// socketpair(out: Int32Array(2), domain, type, protocol) -> 0 | -errno
napi_value SocketPair(napi_env env, napi_callback_info info) {
  Args<4> a(env, info);
  Bytes out = to_bytes(env, a[0]);
  if (out.size < 2 * sizeof(int32_t)) return from_long(env, -EINVAL);
  int fds[2] = {-1, -1};
  long rc = sys::socketpair(to_i32(env, a[1]), to_i32(env, a[2]), to_i32(env, a[3], 0), fds);
  if (rc == 0) {
    static_cast<int32_t*>(out.data)[0] = fds[0];
    static_cast<int32_t*>(out.data)[1] = fds[1];
  }
  return from_long(env, rc);
}

// bind(fd, family, text, port, flowinfo, scopeid) -> 0 | -errno | badAddress
napi_value Bind(napi_env env, napi_callback_info info) {
  Args<6> a(env, info);
  sys::SockAddr sa;
  long rc = read_address(env, &a.v[1], &sa);
  if (rc == 0) rc = sys::bind(to_i32(env, a[0]), sa);
  return from_long(env, rc);
}

// listen(fd, backlog) -> 0 | -errno
napi_value Listen(napi_env env, napi_callback_info info) {
  Args<2> a(env, info);
  return from_long(env, sys::listen(to_i32(env, a[0]), to_i32(env, a[1], 0)));
}

// The calls that return an address fill meta/text (see address.h). If that fails the descriptor
// accept made is closed: nothing leaks.
// accept(fd, meta, text) -> fd | -errno
template <sys::Eintr E>
napi_value Accept(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  sys::SockAddr peer;
  long fd = sys::accept(to_i32(env, a[0]), &peer, E);
  if (fd < 0) return from_long(env, fd);
  long rc = write_address(env, peer, a[1], a[2]);
  if (rc < 0) {
    sys::close(static_cast<int>(fd));
    return from_long(env, rc);
  }
  return from_long(env, fd);
}

// connect(fd, family, text, port, flowinfo, scopeid) -> 0 | -errno | badAddress
template <sys::Eintr E>
napi_value Connect(napi_env env, napi_callback_info info) {
  Args<6> a(env, info);
  sys::SockAddr sa;
  long rc = read_address(env, &a.v[1], &sa);
  if (rc == 0) rc = sys::connect(to_i32(env, a[0]), sa, E);
  return from_long(env, rc);
}

// send(fd, view, len, flags) -> n | -errno
template <sys::Eintr E>
napi_value Send(napi_env env, napi_callback_info info) {
  Args<4> a(env, info);
  Bytes b = to_bytes(env, a[1]);
  return from_long(env, sys::send(to_i32(env, a[0]), b.data, to_count(env, a[2], b), to_i32(env, a[3], 0), E));
}

// recv(fd, view, len, flags) -> n | -errno
template <sys::Eintr E>
napi_value Recv(napi_env env, napi_callback_info info) {
  Args<4> a(env, info);
  Bytes b = to_bytes(env, a[1]);
  return from_long(env, sys::recv(to_i32(env, a[0]), b.data, to_count(env, a[2], b), to_i32(env, a[3], 0), E));
}

// sendto(fd, view, len, flags, family, text, port, flowinfo, scopeid) -> n | -errno | badAddress
template <sys::Eintr E>
napi_value SendTo(napi_env env, napi_callback_info info) {
  Args<9> a(env, info);
  sys::SockAddr sa;
  long rc = read_address(env, &a.v[4], &sa);
  if (rc < 0) return from_long(env, rc);
  Bytes b = to_bytes(env, a[1]);
  return from_long(env, sys::sendto(to_i32(env, a[0]), b.data, to_count(env, a[2], b), to_i32(env, a[3], 0), sa, E));
}

// recvfrom(fd, view, len, flags, meta, text) -> n | -errno
template <sys::Eintr E>
napi_value RecvFrom(napi_env env, napi_callback_info info) {
  Args<6> a(env, info);
  Bytes b = to_bytes(env, a[1]);
  sys::SockAddr src;
  long n = sys::recvfrom(to_i32(env, a[0]), b.data, to_count(env, a[2], b), to_i32(env, a[3], 0), &src, E);
  if (n < 0) return from_long(env, n);
  long rc = write_address(env, src, a[4], a[5]);
  return from_long(env, rc < 0 ? rc : n);
}

// shutdown(fd, how) -> 0 | -errno
napi_value Shutdown(napi_env env, napi_callback_info info) {
  Args<2> a(env, info);
  return from_long(env, sys::shutdown(to_i32(env, a[0]), to_i32(env, a[1])));
}

// getsockname(fd, meta, text), getpeername(fd, meta, text) -> 0 | -errno
template <long (*Call)(int, sys::SockAddr*) noexcept>
napi_value SockName(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  sys::SockAddr sa;
  long rc = Call(to_i32(env, a[0]), &sa);
  if (rc == 0) rc = write_address(env, sa, a[1], a[2]);
  return from_long(env, rc);
}

// setsockopt(fd, level, option, value) -> 0 | -errno
napi_value SetSockOpt(napi_env env, napi_callback_info info) {
  Args<4> a(env, info);
  return from_long(env, sys::setsockopt(to_i32(env, a[0]), to_i32(env, a[1]), to_i32(env, a[2]), to_i32(env, a[3], 0)));
}

// getsockopt(fd, level, option, out: Int32Array) -> 0 | -errno; the value in out[0]
napi_value GetSockOpt(napi_env env, napi_callback_info info) {
  Args<4> a(env, info);
  Bytes out = to_bytes(env, a[3]);
  if (out.size < sizeof(int32_t)) return from_long(env, -EINVAL);
  int value = 0;
  long rc = sys::getsockopt(to_i32(env, a[0]), to_i32(env, a[1]), to_i32(env, a[2]), &value);
  if (rc == 0) static_cast<int32_t*>(out.data)[0] = value;
  return from_long(env, rc);
}

// The int-valued options: [[name, level, option, settable], ...]
napi_value SockOptTable(napi_env env) {
  std::size_t count = 0;
  const sys::SockOpt* t = sys::int_sockopts(&count);
  napi_value list;
  napi_create_array_with_length(env, count, &list);
  for (std::size_t i = 0; i < count; i++) {
    napi_value e, name, settable;
    napi_create_array_with_length(env, 4, &e);
    napi_create_string_utf8(env, t[i].name, NAPI_AUTO_LENGTH, &name);
    napi_get_boolean(env, t[i].settable, &settable);
    napi_set_element(env, e, 0, name);
    napi_set_element(env, e, 1, from_i32(env, t[i].level));
    napi_set_element(env, e, 2, from_i32(env, t[i].option));
    napi_set_element(env, e, 3, settable);
    napi_set_element(env, list, static_cast<uint32_t>(i), e);
  }
  return list;
}

}  // namespace

void register_socket(napi_env env, napi_value exports, napi_value raw) {
  using E = sys::Eintr;
  define_both(env, exports, raw, "socket", Socket);
  define_both(env, exports, raw, "socketpair", SocketPair);
  define_both(env, exports, raw, "bind", Bind);
  define_both(env, exports, raw, "listen", Listen);
  define_eintr(env, exports, raw, "accept", Accept<E::retry>, Accept<E::report>);
  define_eintr(env, exports, raw, "connect", Connect<E::retry>, Connect<E::report>);
  define_eintr(env, exports, raw, "send", Send<E::retry>, Send<E::report>);
  define_eintr(env, exports, raw, "recv", Recv<E::retry>, Recv<E::report>);
  define_eintr(env, exports, raw, "sendto", SendTo<E::retry>, SendTo<E::report>);
  define_eintr(env, exports, raw, "recvfrom", RecvFrom<E::retry>, RecvFrom<E::report>);
  define_both(env, exports, raw, "shutdown", Shutdown);
  define_both(env, exports, raw, "getsockname", SockName<sys::getsockname>);
  define_both(env, exports, raw, "getpeername", SockName<sys::getpeername>);
  define_both(env, exports, raw, "setsockopt", SetSockOpt);
  define_both(env, exports, raw, "getsockopt", GetSockOpt);
  napi_set_named_property(env, exports, "sockopts", SockOptTable(env));
}

}  // namespace napi_glue
