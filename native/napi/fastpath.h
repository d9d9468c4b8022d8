// The fast path of the hottest calls (read and write, send and recv): a call that passes no
// JavaScript value.
//
// A plain N-API call costs about 750 instructions besides the system call (callgrind, Node 20):
// reading three arguments (napi_get_cb_info, napi_get_value_int32/int64), finding a view's bytes
// (napi_get_typedarray_info: ~250 alone) and making the result (napi_create_int32). The fast path
// keeps only the unavoidable part, the call itself (~140):
//
// - the arguments and the result travel through a small block of native memory that lib/io.ts
//   sees as an Int32Array and a Float64Array (`FastBlock`), as Node's own bindings do for stat
//   results and hrtime;
// - the buffer's address is looked up once and kept (`bind_in`/`bind_out`); lib/io.ts binds again
//   whenever it is given another view, or a larger count than the bound size.
//
// Why a kept address stays valid: lib/io.ts holds the bound view (so its ArrayBuffer stays alive;
// a backing store never moves once the view is off the V8 heap, which napi_get_*_info ensures),
// and it takes this path only for a count > 0 that it has checked against the view's current
// length. A detached ArrayBuffer has length 0, so a count > 0 proves the memory is still there; a
// resizable ArrayBuffer keeps its base address, and growing past the bound size rebinds. This side
// clamps the count to the bound size all the same, so no argument can make the kernel touch memory
// that is not the caller's.
#pragma once
#include <node_api.h>

#include <climits>
#include <cstddef>
#include <cstdint>

#include "args.h"

namespace napi_glue {

// Shared with lib/io.ts: Int32Array(block, 0, 2) = [fd, result], Float64Array(block, 8, 1) =
// [count], Int32Array(block, 16, 1) = [flags].
struct FastBlock {
  int32_t fd;      // in
  int32_t result;  // out: >= 0, or -errno
  double count;    // in: bytes to move
  int32_t flags;   // in: send's and recv's flags (read and write have none)
  int32_t unused;
};
static_assert(offsetof(FastBlock, fd) == 0 && offsetof(FastBlock, result) == 4 &&
                  offsetof(FastBlock, count) == 8 && offsetof(FastBlock, flags) == 16 &&
                  sizeof(FastBlock) == 24,
              "lib/io.ts reads FastBlock at these offsets");

// One per Node-API environment (main thread, each worker): the functions get it as their data.
struct FastPath {
  FastBlock block;  // first, so the ArrayBuffer JS sees starts at the struct
  Bytes in;         // the bound view the kernel fills (read, recv)
  Bytes out;        // the bound view the kernel reads (write, send)
};

inline FastPath* fast_path(napi_env env, napi_callback_info info) noexcept {
  void* data = nullptr;
  napi_get_cb_info(env, info, nullptr, nullptr, nullptr, &data);
  return static_cast<FastPath*>(data);
}

// The block's count as a size_t within the bound buffer, and at most INT32_MAX so that the result
// fits `FastBlock::result` (Linux moves at most 0x7ffff000 bytes a call anyway: a partial transfer,
// which read and write may always return). NaN and negatives give 0.
inline std::size_t fast_count(const FastBlock& b, const Bytes& bound) noexcept {
  double c = b.count;
  if (!(c > 0)) return 0;
  std::size_t limit = bound.size < static_cast<std::size_t>(INT32_MAX) ? bound.size : static_cast<std::size_t>(INT32_MAX);
  return c >= static_cast<double>(limit) ? limit : static_cast<std::size_t>(c);
}

}  // namespace napi_glue
