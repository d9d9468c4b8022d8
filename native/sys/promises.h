// What posix-ipc/promises needs from the kernel: calls that never wait, whatever the descriptor's
// O_NONBLOCK flag, and a set of descriptors to watch for readiness. No Node here: the event-loop
// side is native/napi/wait.h.
#pragma once
#include "address.h"
#include "errors.h"

#include <poll.h>
#include <sys/types.h>

#include <cstddef>

namespace sys {

// ---- Calls that never wait --------------------------------------------------------------------
//
// O_NONBLOCK belongs to the open file description, which dups and forked children share: setting
// it, even for a moment, would make their blocking reads fail with EAGAIN. So a Nowait makes one
// call non-blocking by other means, chosen per descriptor at its first call:
//   flag    preadv2/pwritev2 with RWF_NOWAIT: anonymous pipes and sockets on current Linux kernels.
//   shadow  a FIFO (or a pipe where RWF_NOWAIT is refused): a second open file description of the
//           same FIFO, opened through /proc/self/fd with O_NONBLOCK; it reads and writes the same
//           kernel buffer. It adds a reader or a writer only while the caller's own descriptor is
//           open (it lives as long as calls wait on that descriptor), so EOF and EPIPE are unchanged.
//   plain   a regular file, block device or directory: the kernel has no "not ready" for them
//           (poll says ready at once), so the plain call.
//   guard   anything else (a terminal, a character device, a FIFO /proc cannot reopen): the plain
//           call, made only when poll(2) with timeout 0 says the descriptor is ready. If another
//           process takes the data between the two, the call waits: the one case where it can.
class Nowait {
 public:
  enum class Route : unsigned char { unknown, flag, shadow, plain, guard };

  explicit Nowait(int fd) noexcept : fd_(fd) {}
  ~Nowait() { forget(); }
  Nowait(Nowait&& other) noexcept;
  Nowait(const Nowait&) = delete;
  Nowait& operator=(const Nowait&) = delete;
  Nowait& operator=(Nowait&&) = delete;

  // read(2) / write(2) that never wait: bytes moved (0 at end of file), -EAGAIN where the plain
  // call would wait, or -errno.
  long read(void* buf, std::size_t count) noexcept;
  long write(const void* buf, std::size_t count) noexcept;
  // The descriptor cannot be watched (epoll refuses regular files): it is always ready, so calls
  // are plain from now on.
  void always_ready() noexcept;
  // Closes the shadow description, if one was opened; the next call chooses again.
  void forget() noexcept;
  Route route() const noexcept { return route_; }
  int fd() const noexcept { return fd_; }

 private:
  void choose() noexcept;
  template <class Flagged, class Plain>
  long attempt(short events, Flagged flagged, Plain plain) noexcept;
  int fd_;
  int shadow_ = -1;
  Route route_ = Route::unknown;
};

// Whether poll(2) with timeout 0 reports fd ready for `events` (or hung up, in error, or not open:
// then the call itself reports what is wrong). The guard of calls with no non-blocking variant
// (accept on a blocking listener): `return ready_now(fd, POLLIN) ? accept(...) : -EAGAIN;`.
bool ready_now(int fd, short events) noexcept;
// What poll(2) with timeout 0 reports for fd (its revents, 0 if nothing), or -errno.
long revents_now(int fd, short events) noexcept;

// ---- Socket calls with no per-call non-blocking flag --------------------------------------------
//
// recv, send, sendto and recvfrom take MSG_DONTWAIT; accept is guarded by ready_now. connect has
// neither, so it goes one of three ways, chosen by what the socket is:
enum class ConnectKind : unsigned char {
  tcp,       // sendto(fd, NULL, 0, MSG_FASTOPEN | MSG_DONTWAIT, addr): TCP's own non-blocking
             // connect of this call alone (the SYN asks for a Fast Open cookie and carries no
             // data). Where the tcp_fastopen sysctl has no client bit (EOPNOTSUPP): as `stream`.
  stream,    // any other connection (AF_UNIX stream and seqpacket, SCTP...): connect(2) with
             // O_NONBLOCK set for the call, on a socket that is neither connected nor listening,
             // so no other holder of the open file description has a call that could notice
             // (recv, send and accept on it fail at once, blocking or not).
  datagram,  // connect(2) only records the peer: it never waits.
};
// What connect_nowait should do for fd (SO_PROTOCOL, SO_TYPE): 0 or -errno (-ENOTSOCK, -EBADF:
// what connect would say).
long connect_kind(int fd, ConnectKind* kind) noexcept;
// A connect(2) that never waits: 0 connected; -EINPROGRESS the connection is under way (wait for
// POLLOUT, then call again: -EALREADY means still under way, 0 connected, -errno failed); -EAGAIN
// for an AF_UNIX address: the listener's backlog is full, and no event says when it has room
// (try again later); any other -errno. Calling it again after it succeeded is -EISCONN.
long connect_nowait(int fd, const SockAddr& address, ConnectKind kind) noexcept;
// Abandons a connection under way (connect to AF_UNSPEC): the socket is unconnected again and may
// connect anew; a peer that already completed the handshake sees a reset. 0 or -errno.
long connect_abandon(int fd) noexcept;

// Which open file a descriptor names (device and inode), to notice a descriptor number that was
// closed and given to another file behind the caller's back: 0 or -errno.
struct FileId {
  unsigned long long dev = 0;
  unsigned long long ino = 0;
  bool operator==(const FileId& o) const noexcept { return dev == o.dev && ino == o.ino; }
  bool operator!=(const FileId& o) const noexcept { return !(*this == o); }
};
long file_id(int fd, FileId* out) noexcept;

// ---- Processes and FIFOs ----------------------------------------------------------------------

// Whether the FIFO behind reader `fd` (opened with O_NONBLOCK) has a writer, which a C reader
// blocked in open(2) waits for: 1 when one is there (or was: bytes queued, or POLLHUP since a
// writer left), 0 when none came yet, -errno. Nothing is read: tee(2) with SPLICE_F_NONBLOCK into
// a scratch pipe tells "empty, but a writer is there" (EAGAIN) from "no writer" (0). Not a pipe
// (a FIFO's name now names something else): 1, the open is done.
long fifo_has_writer(int fd) noexcept;

// What a C open(2) of a FIFO would still wait for, when open_nowait has not waited.
enum class FifoWait : unsigned char {
  none,
  writer,  // the descriptor is the read end of a FIFO no writer has opened yet (fifo_has_writer)
  reader,  // nothing was opened (-ENXIO): a FIFO opened O_WRONLY that no reader has open
};
// open(2) that never waits for a FIFO's other side: opened with O_NONBLOCK, which is then cleared
// again on the new open file description (nothing else shares it yet) unless `flags` asked for it.
// Returns the descriptor or -errno; *waits says what C's open would still wait for (no event says
// when a reader comes; a reader's descriptor is readable only once bytes are written).
long open_nowait(const char* path, int flags, mode_t mode, FifoWait* waits) noexcept;

// A descriptor standing for a waiting call that has none of its own (a FIFO writer's open, a
// waitpid woken by SIGCHLD), so that it can wait like the others: an eventfd (close-on-exec), or
// -errno.
long token_fd() noexcept;

// ---- A readiness set --------------------------------------------------------------------------
//
// epoll on Linux (a kqueue would serve elsewhere). Adding a descriptor to the set changes nothing
// about it, unlike libuv's uv_poll_init, which sets O_NONBLOCK on the descriptor it watches. The
// set is itself a descriptor that becomes readable when one of its members is ready, so the event
// loop can watch it. Events are poll's bits (POLLIN, POLLOUT, POLLPRI, POLLRDHUP; POLLERR and
// POLLHUP are always reported).

struct Ready {
  int fd;
  unsigned events;
};

enum class Report {
  once,    // report one event, then stay quiet until watched again (re-armed)
  always,  // report as long as the descriptor is ready, as poll does
};

// A new, empty set (close-on-exec): its descriptor, or -errno.
long ready_create() noexcept;
// Adds fd to the set (`added` false) or changes what it waits for (`added` true): 0 or -errno.
// -EPERM: fd cannot be watched (a regular file or a directory: always ready). -EEXIST: already in.
// Its reports name `tag` instead of fd when tag >= 0.
long ready_watch(int set, int fd, unsigned events, Report report, bool added, int tag = -1) noexcept;
// Removes fd from the set: 0 or -errno.
long ready_forget(int set, int fd) noexcept;
// Fills `out` with up to `max` ready members, without waiting: how many, or -errno.
long ready_take(int set, Ready* out, int max) noexcept;
// For each of `tags[0..n)`, how many of the set's registrations whose reports name it (other than
// the tag's own) are armed, that is can still report, into counts[i], from the kernel's own
// listing (/proc/self/fdinfo), read once: a registration can be counted this way after its
// descriptor was closed, when it can no longer be named. 0, or -errno if the listing cannot be
// read.
long ready_armed_tagged(int set, const int* tags, long* counts, int n) noexcept;

}  // namespace sys
