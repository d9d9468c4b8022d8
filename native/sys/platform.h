// Every platform difference of posix-ipc lives in native/sys; this header gathers the feature tests
// the other files share. Linux is the first target; macOS can follow by filling in the #else arms.
#pragma once

#if defined(__linux__)
#define PIPC_LINUX 1
#else
#define PIPC_LINUX 0
#endif

#if !defined(_GNU_SOURCE) && PIPC_LINUX
#define _GNU_SOURCE 1  // pipe2, F_GETPIPE_SZ, accept4, SOCK_CLOEXEC
#endif
