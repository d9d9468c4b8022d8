// Named pipes (lecture order 4): mkfifo, open, unlink — a pipe with a name in the file system, so
// that processes that share no descriptor can meet at it.
#pragma once
#include "errors.h"

#include <sys/types.h>

namespace sys {

// mkfifo(3): 0 or -errno. `mode` is filtered by the umask, as in C.
long mkfifo(const char* path, mode_t mode) noexcept;
// open(2): the new descriptor or -errno. On a FIFO, O_RDONLY waits for a writer and O_WRONLY for
// a reader (unless O_NONBLOCK); EINTR restarts the wait unless reported.
long open(const char* path, int flags, mode_t mode, Eintr eintr = Eintr::retry) noexcept;
// unlink(2): 0 or -errno. Descriptors already open stay usable.
long unlink(const char* path) noexcept;

}  // namespace sys
