// Seeing it (lecture order 14): what the descriptor table view needs beyond /proc.
#pragma once
#include "errors.h"

namespace sys {

// ioctl(fd, FIONREAD): bytes waiting to be read in a pipe, FIFO or socket; -errno on failure.
long fionread(int fd) noexcept;
// pidfd_open(2): a descriptor for process `pid` (close-on-exec), or -errno (-ENOSYS where the
// kernel or platform has none).
long pidfd_open(int pid) noexcept;
// pidfd_getfd(2): a copy, in this process, of descriptor `fd` of the process behind `pidfd`
// (close-on-exec), or -errno (-EPERM without ptrace rights over it, -ENOSYS where unsupported).
long pidfd_getfd(int pidfd, int fd) noexcept;

}  // namespace sys
