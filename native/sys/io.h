// I/O channels (lecture order 1): read, write, close on any file descriptor.
#pragma once
#include "errors.h"

#include <cstddef>

namespace sys {

// read(2): bytes read (0 at end of file) or -errno.
long read(int fd, void* buf, std::size_t count, Eintr eintr = Eintr::retry) noexcept;
// write(2): bytes written (possibly fewer than count) or -errno.
long write(int fd, const void* buf, std::size_t count, Eintr eintr = Eintr::retry) noexcept;
// close(2): 0 or -errno. Never restarted: on Linux the descriptor is released even on EINTR, and
// a second close could close a descriptor another thread has just been given.
long close(int fd) noexcept;
// fcntl(2) for the commands whose argument is an int (F_GETFL/F_SETFL, F_GETFD/F_SETFD,
// F_DUPFD/F_DUPFD_CLOEXEC, F_GETPIPE_SZ/F_SETPIPE_SZ): the result or -errno. Any other command
// (F_GETLK and the like take a pointer) is -EINVAL without a system call.
long fcntl(int fd, int cmd, int arg) noexcept;

}  // namespace sys
