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

}  // namespace napi_glue
