// Sockets (lecture order 5-9 and 12): socket, socketpair, bind, listen, accept, connect, send,
// recv, sendto, recvfrom, shutdown, getsockname, getpeername, setsockopt, getsockopt.
// Addresses are in the kernel's form (sys::SockAddr, see address.h, where they are converted).
#pragma once
#include "address.h"
#include "errors.h"

#include <cstddef>

namespace sys {

// socket(2): the descriptor or -errno. type may OR in SOCK_NONBLOCK and SOCK_CLOEXEC; without them
// the descriptor is blocking and inheritable, as in C.
long socket(int domain, int type, int protocol) noexcept;
// socketpair(2): fills fds with two connected sockets; 0 or -errno.
long socketpair(int domain, int type, int protocol, int fds[2]) noexcept;
// bind(2): 0 or -errno.
long bind(int fd, const SockAddr& address) noexcept;
// listen(2): 0 or -errno.
long listen(int fd, int backlog) noexcept;
// accept(2) (not accept4: the new descriptor is blocking and inheritable, as in C): the new
// descriptor or -errno; fills peer (peer->len is what the kernel reported).
long accept(int fd, SockAddr* peer, Eintr eintr = Eintr::retry) noexcept;
// connect(2): 0 or -errno. A blocking connect interrupted by a signal is not restarted blindly:
// TCP goes on connecting in the kernel, and POSIX lets a second connect() fail with EALREADY
// (Linux waits again). With Eintr::retry it waits for the socket to become writable and reads
// SO_ERROR, as CPython does (PEP 475), and calls connect() again only when no connection is in
// progress (AF_UNIX, whose connect has not started).
long connect(int fd, const SockAddr& address, Eintr eintr = Eintr::retry) noexcept;
// send(2), recv(2): the byte count or -errno. recv returns 0 when the peer has shut down.
long send(int fd, const void* buf, std::size_t len, int flags, Eintr eintr = Eintr::retry) noexcept;
long recv(int fd, void* buf, std::size_t len, int flags, Eintr eintr = Eintr::retry) noexcept;
// sendto(2), recvfrom(2): the byte count or -errno. recvfrom fills src (src->len 0: no address).
long sendto(int fd, const void* buf, std::size_t len, int flags, const SockAddr& dest,
            Eintr eintr = Eintr::retry) noexcept;
long recvfrom(int fd, void* buf, std::size_t len, int flags, SockAddr* src,
              Eintr eintr = Eintr::retry) noexcept;
// shutdown(2): 0 or -errno.
long shutdown(int fd, int how) noexcept;
// getsockname(2), getpeername(2): 0 or -errno; fill out.
long getsockname(int fd, SockAddr* out) noexcept;
long getpeername(int fd, SockAddr* out) noexcept;

// A socket option whose value is a C int (SO_REUSEADDR, SO_RCVBUF, TCP_NODELAY, ...).
struct SockOpt {
  const char* name;
  int level;
  int option;
  bool settable;  // SO_ERROR, SO_TYPE and the like can only be read
};
// The options setsockopt/getsockopt accept: only int-valued ones, so no argument can make the
// kernel read or write a struct (SO_LINGER, SO_RCVTIMEO) through a pointer of the wrong size.
const SockOpt* int_sockopts(std::size_t* count) noexcept;
// setsockopt(2) with an int value: 0 or -errno; an option not in int_sockopts (or read-only) is
// -ENOPROTOOPT without a system call.
long setsockopt(int fd, int level, int option, int value) noexcept;
// getsockopt(2) of an int option into *value: 0 or -errno (-ENOPROTOOPT as above).
long getsockopt(int fd, int level, int option, int* value) noexcept;

}  // namespace sys
