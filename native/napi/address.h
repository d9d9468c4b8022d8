// Socket addresses between JS and native/sys, shared by the socket calls (napi/socket.cc) and
// getaddrinfo (napi/address.cc). The conversion itself is sys::to_sockaddr / sys::from_sockaddr.
//
// JS -> C: an address travels as five arguments (family number, text, port, flowinfo, scopeid):
// no object is read property by property, and the path or IP text is copied to the stack.
// C -> JS: the numbers go into a Uint32Array the caller owns ([family, port, flowinfo, scopeid])
// and the text into element 0 of an array it owns (null: no address), so the call itself still
// returns a plain number (fd, byte count or -errno) and lib/ builds the SockAddr object.
#pragma once
#include <node_api.h>

#include <string>

#include "sys/address.h"

namespace napi_glue {

// Reads the address arguments v[0..4] into out: 0, -EAFNOSUPPORT, -ENAMETOOLONG or
// sys::kBadAddress (what sys::to_sockaddr says; a text that is not a string is a bad address).
long read_address(napi_env env, const napi_value* v, sys::SockAddr* out) noexcept;

// Decodes a (the first a.len bytes) into meta and text[0]: 0 or -errno (-EAFNOSUPPORT for a
// family posix-ipc does not name, -EINVAL if meta or text are not what lib/ passes).
long write_address(napi_env env, const sys::SockAddr& a, napi_value meta, napi_value text) noexcept;

// Same for decoded parts (getaddrinfo builds its entries from these).
napi_value address_text(napi_env env, const sys::AddressParts& p) noexcept;

// getaddrinfo's arguments, copied out of JavaScript values (so that a threadpool thread can use
// them: posix-ipc/promises' getaddrinfo), and what the lookup gives.
struct Lookup {
  std::string node, service;
  bool has_node = false, has_service = false;
  addrinfo hints{};
  addrinfo* res = nullptr;  // freed by the destructor
  int rc = 0;               // 0 or the EAI_* code
  int sys_errno = 0;        // for EAI_SYSTEM
  Lookup() = default;
  Lookup(const Lookup&) = delete;
  Lookup& operator=(const Lookup&) = delete;
  ~Lookup();
  // Reads (node, service, flags, family, socktype, protocol) from v[0..5]: false if node or
  // service is neither a string nor null/undefined.
  bool read(napi_env env, const napi_value* v);
  // Runs getaddrinfo(3): no JavaScript values, any thread.
  void run() noexcept;
  // The result for lib/address.ts: the list of entries (see GetAddrInfo in address.cc), or the
  // EAI_* code, with the errno of EAI_SYSTEM written to errOut[0].
  napi_value result(napi_env env, napi_value err_out) const;
};

}  // namespace napi_glue
