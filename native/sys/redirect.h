// Redirection (lecture order 11): dup, dup2 — two descriptors naming one open file.
#pragma once
#include "errors.h"

namespace sys {

// dup(2): the lowest free descriptor, now naming fd's open file (without FD_CLOEXEC), or -errno.
long dup(int fd) noexcept;
// dup2(2): newfd, now naming oldfd's open file (closed first if it was open; no FD_CLOEXEC), or
// -errno. dup2(fd, fd) checks fd and returns it. Linux reports EBUSY for a newfd being opened by
// another thread at that instant; EINTR is restarted unless reported.
long dup2(int oldfd, int newfd, Eintr eintr = Eintr::retry) noexcept;

}  // namespace sys
