// Marshalling helpers for the N-API glue. The hot calls (read, write, ...) use the C Node-API
// directly: node-addon-api's CallbackInfo and Value wrappers cost about 85 ns a call more
// (../shared measurements, bench/), and these functions only move numbers and pointers.
//
// The TypeScript layer validates every argument before it gets here, so these helpers do not
// decide policy. They still never trust their input: a value of the wrong type becomes an fd of
// -1 or an empty buffer, which the kernel refuses with EBADF/EFAULT instead of crashing.
#pragma once
#include <node_api.h>

#include <cstddef>
#include <cstdint>

namespace napi_glue {

template <std::size_t N>
struct Args {
  napi_value v[N];
  std::size_t n = N;
  Args(napi_env env, napi_callback_info info) noexcept {
    napi_get_cb_info(env, info, &n, v, nullptr, nullptr);
    for (std::size_t i = n; i < N; i++) napi_get_undefined(env, &v[i]);
  }
  napi_value operator[](std::size_t i) const noexcept { return v[i]; }
};

inline int32_t to_i32(napi_env env, napi_value v, int32_t fallback = -1) noexcept {
  int32_t r = fallback;
  if (napi_get_value_int32(env, v, &r) != napi_ok) return fallback;
  return r;
}

inline int64_t to_i64(napi_env env, napi_value v, int64_t fallback = -1) noexcept {
  int64_t r = fallback;
  if (napi_get_value_int64(env, v, &r) != napi_ok) return fallback;
  return r;
}

// The bytes of any ArrayBufferView (Buffer, Uint8Array, other typed arrays, DataView), whatever
// ArrayBuffer or SharedArrayBuffer is behind it. A detached buffer or a non-view gives {null, 0}.
struct Bytes {
  void* data = nullptr;
  std::size_t size = 0;
};

inline std::size_t element_size(napi_typedarray_type t) noexcept {
  switch (t) {
    case napi_int8_array: case napi_uint8_array: case napi_uint8_clamped_array: return 1;
    case napi_int16_array: case napi_uint16_array: return 2;
    case napi_int32_array: case napi_uint32_array: case napi_float32_array: return 4;
    default: return 8;  // float64, bigint64, biguint64
  }
}

inline Bytes to_bytes(napi_env env, napi_value v) noexcept {
  Bytes b;
  napi_typedarray_type type;
  std::size_t length = 0;
  if (napi_get_typedarray_info(env, v, &type, &length, &b.data, nullptr, nullptr) == napi_ok) {
    b.size = length * element_size(type);
  } else if (napi_get_dataview_info(env, v, &b.size, &b.data, nullptr, nullptr) != napi_ok) {
    b = Bytes{};
  }
  if (b.data == nullptr) b.size = 0;
  return b;
}

// A byte count: the TS layer passes one that fits the buffer; anything else is clamped to 0 bytes
// past the buffer so the kernel never sees memory that is not the caller's.
inline std::size_t to_count(napi_env env, napi_value v, const Bytes& b) noexcept {
  int64_t n = to_i64(env, v, -1);
  if (n < 0 || static_cast<uint64_t>(n) > b.size) return b.size;
  return static_cast<std::size_t>(n);
}

// A count of fixed-size items (struct pollfd entries...) in a buffer, clamped the same way.
inline std::size_t to_items(napi_env env, napi_value v, const Bytes& b, std::size_t item_size) noexcept {
  int64_t n = to_i64(env, v, -1);
  std::size_t capacity = b.size / item_size;
  if (n < 0 || static_cast<uint64_t>(n) > capacity) return capacity;
  return static_cast<std::size_t>(n);
}

inline napi_value from_i32(napi_env env, int32_t n) noexcept {
  napi_value r;
  napi_create_int32(env, n, &r);
  return r;
}

inline napi_value from_long(napi_env env, long n) noexcept {
  napi_value r;
  if (n >= INT32_MIN && n <= INT32_MAX) {
    napi_create_int32(env, static_cast<int32_t>(n), &r);
  } else {
    napi_create_int64(env, static_cast<int64_t>(n), &r);
  }
  return r;
}

// Defines obj[name] = fn.
inline void define(napi_env env, napi_value obj, const char* name, napi_callback fn) noexcept {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  napi_set_named_property(env, obj, name, f);
}

// Defines a call that behaves the same for posix-ipc and posix-ipc/raw on both tables.
inline void define_both(napi_env env, napi_value exports, napi_value raw, const char* name, napi_callback fn) noexcept {
  define(env, exports, name, fn);
  define(env, raw, name, fn);
}

// Defines a call that can be interrupted: the EINTR-retrying version on exports, the reporting one
// on raw.
inline void define_eintr(napi_env env, napi_value exports, napi_value raw, const char* name, napi_callback retry,
                         napi_callback report) noexcept {
  define(env, exports, name, retry);
  define(env, raw, name, report);
}

}  // namespace napi_glue
