#include "poll.h"

#include <cstdint>
#include <ctime>

namespace sys {

namespace {
int64_t monotonic_ns() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}
}  // namespace

long poll(struct pollfd* fds, std::size_t nfds, int timeout, Eintr eintr) noexcept {
  const auto n = static_cast<nfds_t>(nfds);
  if (timeout <= 0 || eintr == Eintr::report) {
    return retry(eintr, [&] { return ::poll(fds, n, timeout); });
  }
  const int64_t deadline = monotonic_ns() + static_cast<int64_t>(timeout) * 1000000;
  int ms = timeout;
  for (;;) {
    int r = ::poll(fds, n, ms);
    if (r >= 0) return r;
    if (errno != EINTR) return -errno;
    // Interrupted: wait only for what is left. Once nothing is left, one more poll with timeout 0
    // reports the descriptors as they are now.
    int64_t left = deadline - monotonic_ns();
    ms = left <= 0 ? 0 : static_cast<int>((left + 999999) / 1000000);
  }
}

}  // namespace sys
