// Errors in native/sys: every function returns >= 0 on success or -errno, read right after the call.
#pragma once
#include "platform.h"

#include <cerrno>
#include <cstddef>

namespace sys {

// Whether a call that the kernel interrupted with EINTR is restarted (the default, as Python does
// since PEP 475) or reported (posix-ipc/raw, where students compare with C and see EINTR).
enum class Eintr { retry, report };

// Runs `call` (a system call returning -1 and setting errno on failure) and turns its result into
// the >= 0 / -errno convention, restarting it on EINTR when asked to.
template <class Call>
inline long retry(Eintr eintr, Call call) noexcept {
  for (;;) {
    long r = static_cast<long>(call());
    if (r >= 0) return r;
    int e = errno;
    if (e == EINTR && eintr == Eintr::retry) continue;
    return -e;
  }
}

// Same for a call that must never be restarted (close: the descriptor is gone even on EINTR).
template <class Call>
inline long once(Call call) noexcept {
  long r = static_cast<long>(call());
  return r >= 0 ? r : -errno;
}

// A name and a value, for the constants and errno tables the binding exports.
struct Named {
  const char* name;
  long long value;
};

// The errno values this platform defines, under their C names. Where two names share a value
// (EAGAIN/EWOULDBLOCK), the one Node's util.getSystemErrorName() reports comes first.
const Named* errno_table(std::size_t* count) noexcept;

// The system's message for an errno value (strerror(3), thread-safe). Writes at most `size` bytes,
// NUL included, and returns `buf`.
const char* error_text(int errnum, char* buf, std::size_t size) noexcept;

}  // namespace sys
