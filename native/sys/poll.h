// Multiplexing (lecture order 13): poll.
#pragma once
#include "errors.h"

#include <poll.h>

#include <cstddef>

namespace sys {

// The TypeScript layer writes the struct pollfd array in place, through an Int32Array (fd) and a
// Uint16Array (events, revents) over the same memory: that is this layout, which Linux, macOS and
// the BSDs share. A platform that differs fails here, at compile time.
static_assert(sizeof(struct pollfd) == 8 && offsetof(struct pollfd, fd) == 0 &&
                  offsetof(struct pollfd, events) == 4 && offsetof(struct pollfd, revents) == 6,
              "struct pollfd is not { int fd; short events; short revents; }");

// poll(2): how many entries are ready (0: the timeout ran out), with each entry's revents set, or
// -errno. A negative timeout waits for ever, 0 does not wait. Interrupted by a signal (EINTR, which
// poll reports even under SA_RESTART), it is called again with what remains of the timeout on
// CLOCK_MONOTONIC, rounded up to the millisecond, as CPython does; with Eintr::report it returns
// -EINTR instead.
long poll(struct pollfd* fds, std::size_t nfds, int timeout, Eintr eintr = Eintr::retry) noexcept;

}  // namespace sys
