// Pipes (lecture order 2): pipe, pipe2.
#pragma once
#include "errors.h"

namespace sys {

// pipe(2): fills fds[0] (read end) and fds[1] (write end); 0 or -errno. The fds are blocking and
// inheritable, exactly as in C.
long pipe(int fds[2]) noexcept;
// pipe2(2) with O_NONBLOCK and/or O_CLOEXEC (and O_DIRECT on Linux); 0 or -errno.
long pipe2(int fds[2], int flags) noexcept;

}  // namespace sys
