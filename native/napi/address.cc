#include "address.h"

#include <cstring>
#include <string>

#include "args.h"
#include "register.h"

namespace napi_glue {

long read_address(napi_env env, const napi_value* v, sys::SockAddr* out) noexcept {
  // Any valid text is shorter than this buffer; a longer string comes back cut (at a character
  // boundary), still longer than any valid one, so it is refused as too long and never truncated.
  char text[2 * sys::kAddressTextMax + 8];
  std::size_t len = 0;
  if (napi_get_value_string_utf8(env, v[1], text, sizeof text, &len) != napi_ok) return sys::kBadAddress;
  int64_t port = to_i64(env, v[2], -1);
  if (port < 0 || port > 65535) return sys::kBadAddress;
  return sys::to_sockaddr(to_i32(env, v[0], -1), text, len, static_cast<int>(port),
                          static_cast<uint32_t>(to_i64(env, v[3], 0)), static_cast<uint32_t>(to_i64(env, v[4], 0)),
                          out);
}

napi_value address_text(napi_env env, const sys::AddressParts& p) noexcept {
  napi_value s;
  if (p.family == AF_UNSPEC) {
    napi_get_null(env, &s);
  } else if (p.family == AF_UNIX) {
    napi_create_string_utf8(env, p.text, p.text_len, &s);
  } else {
    napi_create_string_latin1(env, p.text, p.text_len, &s);
  }
  return s;
}

long write_address(napi_env env, const sys::SockAddr& a, napi_value meta, napi_value text) noexcept {
  sys::AddressParts p;
  long r = sys::from_sockaddr(a.ss, a.len, &p);
  if (r < 0) return r;
  Bytes m = to_bytes(env, meta);
  if (m.size < 4 * sizeof(uint32_t)) return -EINVAL;
  auto* u = static_cast<uint32_t*>(m.data);
  u[0] = static_cast<uint32_t>(p.family);
  u[1] = static_cast<uint32_t>(p.port);
  u[2] = p.flowinfo;
  u[3] = p.scope_id;
  if (napi_set_element(env, text, 0, address_text(env, p)) != napi_ok) return -EINVAL;
  return 0;
}

namespace {

// A string argument as a C string (null: absent). false if it is neither.
bool c_string(napi_env env, napi_value v, std::string* out, bool* present) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return false;
  if (t == napi_null || t == napi_undefined) {
    *present = false;
    return true;
  }
  std::size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) return false;
  out->resize(len + 1);
  if (napi_get_value_string_utf8(env, v, &(*out)[0], len + 1, &len) != napi_ok) return false;
  out->resize(len);
  *present = true;
  return true;
}

void set_i32(napi_env env, napi_value arr, uint32_t index, int32_t n) {
  napi_set_element(env, arr, index, from_i32(env, n));
}

}  // namespace

Lookup::~Lookup() {
  if (res != nullptr) freeaddrinfo(res);
}

bool Lookup::read(napi_env env, const napi_value* v) {
  if (!c_string(env, v[0], &node, &has_node) || !c_string(env, v[1], &service, &has_service)) return false;
  hints.ai_flags = to_i32(env, v[2], 0);
  hints.ai_family = to_i32(env, v[3], AF_UNSPEC);
  hints.ai_socktype = to_i32(env, v[4], 0);
  hints.ai_protocol = to_i32(env, v[5], 0);
  return true;
}

void Lookup::run() noexcept {
  rc = sys::getaddrinfo(has_node ? node.c_str() : nullptr, has_service ? service.c_str() : nullptr, &hints, &res,
                        &sys_errno);
}

// [[family, socktype, protocol, addrFamily, text, port, flowinfo, scopeid, canonname?], ...]
// or the EAI_* code (a number; errOut[0] = errno for EAI_SYSTEM)
napi_value Lookup::result(napi_env env, napi_value err_out) const {
  if (rc != 0) {
    Bytes e = to_bytes(env, err_out);
    if (e.size >= sizeof(int32_t)) static_cast<int32_t*>(e.data)[0] = sys_errno;
    return from_i32(env, rc);
  }
  napi_value list;
  napi_create_array(env, &list);
  uint32_t n = 0;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    sys::SockAddr sa{};
    sys::AddressParts p;
    if (ai->ai_addr == nullptr || ai->ai_addrlen > sizeof sa.ss) continue;
    std::memcpy(&sa.ss, ai->ai_addr, ai->ai_addrlen);
    if (sys::from_sockaddr(sa.ss, ai->ai_addrlen, &p) < 0) continue;  // a family posix-ipc does not name
    napi_value e;
    napi_create_array_with_length(env, 9, &e);
    set_i32(env, e, 0, ai->ai_family);
    set_i32(env, e, 1, ai->ai_socktype);
    set_i32(env, e, 2, ai->ai_protocol);
    set_i32(env, e, 3, p.family);
    napi_set_element(env, e, 4, address_text(env, p));
    set_i32(env, e, 5, p.port);
    napi_value u;
    napi_create_uint32(env, p.flowinfo, &u);
    napi_set_element(env, e, 6, u);
    napi_create_uint32(env, p.scope_id, &u);
    napi_set_element(env, e, 7, u);
    if (ai->ai_canonname != nullptr) {
      napi_value c;
      napi_create_string_utf8(env, ai->ai_canonname, NAPI_AUTO_LENGTH, &c);
      napi_set_element(env, e, 8, c);
    }
    napi_set_element(env, list, n++, e);
  }
  return list;
}

namespace {

// getaddrinfo(node, service, flags, family, socktype, protocol, errOut) -> Lookup::result
napi_value GetAddrInfo(napi_env env, napi_callback_info info) {
  Args<7> a(env, info);
  Lookup lookup;
  if (!lookup.read(env, a.v)) return from_i32(env, EAI_NONAME);
  lookup.run();
  return lookup.result(env, a[6]);
}

// gai_strerror(code) -> text
napi_value GaiStrerror(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  napi_value s;
  napi_create_string_utf8(env, sys::gai_text(to_i32(env, a[0], 0)), NAPI_AUTO_LENGTH, &s);
  return s;
}

// inet_pton(family, text, out: Uint8Array(16)) -> 1 | 0 | -errno
napi_value InetPton(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  char text[INET6_ADDRSTRLEN + 8];
  std::size_t len = 0;
  Bytes out = to_bytes(env, a[2]);
  if (out.size < sizeof(in6_addr)) return from_long(env, -EINVAL);
  if (napi_get_value_string_utf8(env, a[1], text, sizeof text, &len) != napi_ok || len > INET6_ADDRSTRLEN ||
      std::memchr(text, '\0', len) != nullptr) {
    return from_long(env, 0);
  }
  return from_long(env, sys::inet_pton(to_i32(env, a[0]), text, out.data));
}

// inet_ntop(family, bytes, text: [string]) -> 0 | -errno
napi_value InetNtop(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  int family = to_i32(env, a[0]);
  Bytes b = to_bytes(env, a[1]);
  std::size_t need = family == AF_INET ? sizeof(in_addr) : sizeof(in6_addr);
  if (b.size != need) return from_long(env, family == AF_INET || family == AF_INET6 ? -EINVAL : -EAFNOSUPPORT);
  char buf[INET6_ADDRSTRLEN];
  long r = sys::inet_ntop(family, b.data, buf, sizeof buf);
  if (r < 0) return from_long(env, r);
  napi_value s;
  napi_create_string_latin1(env, buf, static_cast<std::size_t>(r), &s);
  if (napi_set_element(env, a[2], 0, s) != napi_ok) return from_long(env, -EINVAL);
  return from_long(env, 0);
}

}  // namespace

void register_address(napi_env env, napi_value exports, napi_value raw) {
  define_both(env, exports, raw, "getaddrinfo", GetAddrInfo);
  define(env, exports, "gai_strerror", GaiStrerror);
  define_both(env, exports, raw, "inet_pton", InetPton);
  define_both(env, exports, raw, "inet_ntop", InetNtop);
  // The encoder's answer to a malformed address (not an errno), and the longest AF_UNIX path.
  napi_set_named_property(env, exports, "badAddress", from_long(env, sys::kBadAddress));
  napi_set_named_property(env, exports, "unixPathMax", from_long(env, static_cast<long>(sys::kUnixPathMax)));
}

}  // namespace napi_glue
