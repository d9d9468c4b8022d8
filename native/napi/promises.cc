// The calls of posix-ipc/promises, on exports.promises. Each fills a wait::Waiter (what to attempt,
// on which descriptor, in which direction) and lets wait::start run it: at once if it can,
// otherwise when the descriptor is ready. Every call takes a last argument `id` (0, or the number
// cancel(id) names when the call's AbortSignal fires) and returns a number or a promise of one.
//
// Adding a call: an Attempt that makes the call without waiting (MSG_DONTWAIT, WNOHANG, a Nowait,
// or sys::ready_now as a guard) and returns -EAGAIN where it would wait, and a function that fills
// the Waiter from the arguments. How the calls still to come fit (each checked on Linux 6.18):
//   recv, recvfrom   POLLIN; sys::recv/recvfrom with flags | MSG_DONTWAIT. MSG_WAITALL: attempt
//                    only once FIONREAD covers len (or on EOF/error), so an abort consumes nothing.
//   send, sendto     POLLOUT; sys::send/sendto with flags | MSG_DONTWAIT; may be partial, as write.
//   accept           POLLIN; accept(2) has no per-call flag: sys::ready_now(fd, POLLIN) guards it
//                    (another process accepting from the same listener in between makes it wait
//                    for the next connection: the same documented race as terminals). The peer
//                    goes into the meta/text the TS layer keeps with the call (write_address).
//   connect          TCP: sendto(fd, NULL, 0, MSG_FASTOPEN | MSG_DONTWAIT, addr) is a
//                    non-blocking connect of this call alone (EINPROGRESS; EOPNOTSUPP if the
//                    tcp_fastopen sysctl has no client bit: then connect bounded by SO_SNDTIMEO,
//                    a socket nothing else can use yet); then POLLOUT and SO_ERROR. AF_UNIX
//                    stream: connect bounded by SO_SNDTIMEO gives EAGAIN on a full backlog, which
//                    has no readiness event: retried on a backoff timer. Datagrams: never wait.
//   waitpid          pid > 0: a pidfd (pidfd_open) is the Waiter's owned fd, readable once the
//                    child ends; attempt waitpid(pid, options | WNOHANG), 0 -> -EAGAIN. Other pids,
//                    WUNTRACED/WCONTINUED, no pidfd: a SIGCHLD uv_signal_t watcher whose calls
//                    are all attempted on each signal (not just up to the first -EAGAIN).
//   open (FIFO)      O_WRONLY: open with O_NONBLOCK (ENXIO -> -EAGAIN), then clear O_NONBLOCK on
//                    the new, unshared description; no event says "a reader came" (inotify reports
//                    a reader's open only once a writer exists), so a backoff timer retries.
//                    O_RDONLY: open with O_NONBLOCK as the call's own fd (a waiting reader, as a C
//                    reader blocked in open is); done once tee(fd, scratch, 1, SPLICE_F_NONBLOCK)
//                    says a writer is there (-EAGAIN or > 0, nothing consumed) or POLLHUP says one
//                    came and went. Other files: plain open.
//   getaddrinfo      not a descriptor: uv_queue_work runs sys::getaddrinfo on the threadpool, as
//                    dns.lookup does; its after-callback builds the same list as the sync call;
//                    abort: uv_cancel, or drop the result when it comes.
// The machinery then needs: a retry timer with backoff (FIFO open, AF_UNIX connect), a Waiter
// keeping an array (buffer, meta, text), settling with a JS value (getaddrinfo's list), and a
// signal source (SIGCHLD) beside the epoll set.
#include "sys/io.h"
#include "sys/poll.h"
#include "sys/promises.h"

#include "args.h"
#include "register.h"
#include "wait.h"

namespace napi_glue {
namespace {

uint32_t to_id(napi_env env, napi_value v) noexcept {
  uint32_t id = 0;
  napi_get_value_uint32(env, v, &id);
  return id;
}

// The call's buffer, if it still has the `count` bytes the call was given (an ArrayBuffer
// transferred while the call waited has none left).
void* counted(napi_env env, const wait::Waiter& w) noexcept {
  Bytes b = w.bytes(env);
  return static_cast<uint64_t>(w.arg[0]) <= b.size ? b.data : nullptr;
}

long ReadAttempt(napi_env env, wait::Waiter& w, sys::Nowait& nowait) {
  void* data = counted(env, w);
  return data == nullptr ? -EFAULT : nowait.read(data, static_cast<std::size_t>(w.arg[0]));
}

long WriteAttempt(napi_env env, wait::Waiter& w, sys::Nowait& nowait) {
  void* data = counted(env, w);
  return data == nullptr ? -EFAULT : nowait.write(data, static_cast<std::size_t>(w.arg[0]));
}

// read(fd, view, count, id) / write(fd, view, count, id) -> n | -errno | Promise<n | -errno>
template <wait::Attempt attempt, short events>
napi_value Transfer(napi_env env, napi_callback_info info) {
  Args<4> a(env, info);
  Bytes b = to_bytes(env, a[1]);
  wait::Waiter w;
  w.attempt = attempt;
  w.fd = to_i32(env, a[0]);
  w.events = events;
  w.arg[0] = static_cast<int64_t>(to_count(env, a[2], b));
  w.id = to_id(env, a[3]);
  return wait::start(env, w, a[1]);
}

// poll's attempt: poll(2) with timeout 0 on the caller's struct pollfd array.
long PollAttempt(napi_env env, wait::Waiter& w, sys::Nowait&) {
  Bytes b = w.bytes(env);
  auto n = static_cast<std::size_t>(w.arg[0]);
  if (n > b.size / sizeof(struct pollfd)) return -EFAULT;
  long rc = sys::poll(static_cast<struct pollfd*>(b.data), n, 0);
  return rc == 0 ? -EAGAIN : rc;
}

// Every entry's descriptor, in a readiness set of the call's own that reports as long as one is
// ready for its events (an fd listed twice waits for the union): the set's descriptor, or -errno.
long poll_set(struct pollfd* fds, std::size_t n) noexcept {
  long set = sys::ready_create();
  for (std::size_t i = 0; set >= 0 && i < n; i++) {
    int fd = fds[i].fd;
    if (fd < 0) continue;  // ignored, as poll(2) does
    long rc = sys::ready_watch(set, fd, static_cast<unsigned short>(fds[i].events), sys::Report::always, false);
    if (rc == -EEXIST) {
      unsigned events = 0;
      for (std::size_t j = 0; j <= i; j++) {
        if (fds[j].fd == fd) events |= static_cast<unsigned short>(fds[j].events);
      }
      rc = sys::ready_watch(set, fd, events, sys::Report::always, true);
    }
    // -EPERM: a regular file; poll(2) reports it at once unless it asked for nothing that can
    // happen to a file, and then it never will.
    if (rc < 0 && rc != -EPERM) {
      sys::close(static_cast<int>(set));
      set = rc;
    }
  }
  return set;
}

// poll(fds, nfds, timeout, id) -> ready count | -errno | Promise<...>. `fds` is the Int32Array
// over the caller's struct pollfd array (see sys/poll.h), which the kernel's revents go into.
napi_value Poll(napi_env env, napi_callback_info info) {
  Args<4> a(env, info);
  Bytes b = to_bytes(env, a[0]);
  std::size_t n = to_items(env, a[1], b, sizeof(struct pollfd));
  int timeout = to_i32(env, a[2]);
  auto* fds = static_cast<struct pollfd*>(b.data);
  long rc = sys::poll(fds, n, 0);
  if (rc != 0 || timeout == 0) return from_long(env, rc);
  long set = poll_set(fds, n);
  if (set < 0) return from_long(env, set);
  wait::Waiter w;
  w.attempt = PollAttempt;
  w.fd = static_cast<int>(set);
  w.events = POLLIN;
  w.owns_fd = true;
  w.arg[0] = static_cast<int64_t>(n);
  w.timeout = timeout;  // > 0: settles with 0 when it runs out; < 0: no deadline
  w.on_timeout = 0;
  w.id = to_id(env, a[3]);
  return wait::start(env, w, a[0], false);
}

}  // namespace

void register_promises(napi_env env, napi_value exports, napi_value) {
  napi_value promises = wait::promises(env, exports);
  define(env, promises, "read", Transfer<ReadAttempt, POLLIN>);
  define(env, promises, "write", Transfer<WriteAttempt, POLLOUT>);
  define(env, promises, "poll", Poll);
}

}  // namespace napi_glue
