// The calls of posix-ipc/promises, on exports.promises. Each fills a wait::Waiter (what to attempt,
// on which descriptor, in which direction) and lets wait::start run it: at once if it can,
// otherwise when the descriptor is ready. Every call takes a last argument `id` (0, or the number
// cancel(id) names when the call's AbortSignal fires) and returns a number or a promise of one.
//
// Adding a call: an Attempt that makes the call without waiting (MSG_DONTWAIT, WNOHANG, a Nowait,
// or sys::ready_now as a guard) and returns -EAGAIN where it would wait (wait::kRetryLater where no
// readiness event will say when to try again), and a function that fills the Waiter from the
// arguments. How each call is made without waiting:
//   read, write      sys::Nowait (RWF_NOWAIT, a FIFO's second description, poll as a guard).
//   poll             poll(2) with timeout 0, waiting on a readiness set of its own.
//   recv, recvfrom   POLLIN; flags | MSG_DONTWAIT. MSG_WAITALL on a stream: the bytes are taken as
//                    they come, as the kernel's blocking MSG_WAITALL does (waiting for all of them
//                    to be queued first could wait for ever: a queue may hold fewer bytes than
//                    len), so an abort after some were taken resolves with their count. With
//                    MSG_PEEK nothing is taken: attempted once FIONREAD covers len (or at end of
//                    stream or on an error), retried on the timer while some but too few are queued.
//   send, sendto     POLLOUT; flags | MSG_DONTWAIT; may be partial, as write. EAGAIN while the
//                    socket says it is writable (an AF_UNIX datagram to a full receiver): retried
//                    on the timer.
//   accept           POLLIN; accept(2) has no per-call flag: sys::ready_now(fd, POLLIN) guards it
//                    (another process or thread accepting from the same listener in between makes
//                    it wait for the next connection: the same documented race as terminals). The
//                    peer goes into the [text, meta] array the TS layer keeps with the call.
//   connect          sys::connect_nowait: TCP by sendto(MSG_FASTOPEN | MSG_DONTWAIT), others by
//                    connect(2) with O_NONBLOCK set for the call on an unconnected, non-listening
//                    socket, where no other holder can notice it; then POLLOUT and the same call
//                    again (which also gives SO_ERROR). AF_UNIX's EAGAIN (full backlog) has no
//                    readiness event: retried on the timer. Aborting a connection under way
//                    abandons it (connect to AF_UNSPEC). Datagrams never wait.
//   getaddrinfo      not a descriptor: napi async work (uv_queue_work) runs it on the threadpool,
//                    as dns.lookup does, and its completion builds the same list as the sync call
//                    (Lookup, address.h); abort: napi_cancel_async_work, or drop the result.
//   waitpid          waitpid(pid, options | WNOHANG), 0 -> wait. pid > 0: a pidfd (pidfd_open) is
//                    the Waiter's owned fd, readable once the child has ended. Other pids,
//                    WUNTRACED/WCONTINUED, no pidfd: a token fd that never becomes ready, the call
//                    on its retry timer (up to 1 s) and woken at once by SIGCHLD (a uv_signal_t
//                    while such calls wait), which wakes every sleeping call.
//   open             sys::open_nowait: open with O_NONBLOCK, cleared again on the new, unshared
//                    description. A FIFO's O_WRONLY while no reader is there (ENXIO): a token fd,
//                    the call on its retry timer (no event says "a reader came": inotify reports a
//                    reader's open only once a writer exists). O_RDONLY: the new descriptor is the
//                    call's own (a waiting reader, as a C reader blocked in open is), done once
//                    sys::fifo_has_writer says a writer is there or was; the retry timer again.
//                    Every open of this thread that succeeds wakes the sleeping calls at once: a
//                    FIFO's two ends opened in one script meet without waiting for the timers.
#include "sys/fds.h"
#include "sys/fifo.h"
#include "sys/io.h"
#include "sys/process.h"
#include "sys/poll.h"
#include "sys/promises.h"
#include "sys/socket.h"

#include <fcntl.h>

#include "address.h"
#include "args.h"
#include "process.h"
#include "register.h"
#include "strings.h"
#include "wait.h"

namespace napi_glue {
namespace {

uint32_t to_id(napi_env env, napi_value v) noexcept {
  int32_t id = 0;
  napi_get_value_int32(env, v, &id);
  return id > 0 ? static_cast<uint32_t>(id) : 0;
}

// The last argument of read, write, recv and send: an id > 0 (the call has an AbortSignal), 0, or
// -code: no signal, and the call's promise rejects by itself with the SyscallError the TS layer's
// error maker builds for syscall `code` (wait::Waiter::reject_as), sparing a then() per call.
void read_id(napi_env env, napi_value v, wait::Waiter& w) noexcept {
  int32_t id = 0;
  napi_get_value_int32(env, v, &id);
  if (id > 0) w.id = static_cast<uint32_t>(id);
  else if (id < 0 && id >= -255) w.reject_as = static_cast<uint8_t>(-id);
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
  read_id(env, a[3], w);
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


// ---- Sockets ----------------------------------------------------------------------------------
//
// accept and recvfrom return an address: the TS layer passes and keeps an array `slot`, and the
// address goes into slot[0] (its text, or null) and slot[1] (a Uint32Array(4): family, port,
// flowinfo, scopeid), as write_address does for the sync calls. recvfrom's buffer is slot[2].

napi_value element(napi_env env, napi_value array, uint32_t i) noexcept {
  napi_value v = nullptr;
  if (array == nullptr || napi_get_element(env, array, i, &v) != napi_ok) napi_get_undefined(env, &v);
  return v;
}

// A call whose caller passed MSG_DONTWAIT does not wait, as in C: one attempt, its result.
napi_value start_unless_dontwait(napi_env env, const wait::Waiter& w, napi_value keep, int flags) {
  if ((flags & MSG_DONTWAIT) == 0) return wait::start(env, w, keep);
  wait::Waiter now = w;
  now.keep_now = keep;
  sys::Nowait unused(w.fd);
  long rc = w.attempt(env, now, unused);
  return from_long(env, rc == wait::kRetryLater ? -EAGAIN : rc);
}

// How recv and recvfrom treat MSG_WAITALL (arg[2]).
enum RecvMode : int64_t {
  kPlain,    // as asked, with MSG_DONTWAIT
  kWaitAll,  // a stream with MSG_WAITALL: the bytes as they come (arg[3]: how many so far)
  kPeekAll,  // a stream with MSG_PEEK | MSG_WAITALL: once FIONREAD covers len
};

int64_t recv_mode(int fd, int flags) noexcept {
  if ((flags & MSG_WAITALL) == 0 || (flags & MSG_DONTWAIT) != 0) return kPlain;
  int type = 0;
  if (sys::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type) < 0 || type != SOCK_STREAM) return kPlain;  // datagrams ignore it
  return (flags & MSG_PEEK) != 0 ? kPeekAll : kWaitAll;
}

// arg[0] len, arg[1] flags (| MSG_DONTWAIT), arg[2] RecvMode, arg[3] bytes taken so far.
template <bool kFrom>
long RecvAttempt(napi_env env, wait::Waiter& w, sys::Nowait&) {
  napi_value slot = kFrom ? w.kept(env) : nullptr;
  Bytes b = kFrom ? to_bytes(env, element(env, slot, 2)) : w.bytes(env);
  auto len = static_cast<std::size_t>(w.arg[0]);
  auto got = static_cast<std::size_t>(w.arg[3]);
  if (len > b.size) return -EFAULT;  // the buffer was transferred while the call waited
  int64_t mode = w.arg[2];
  if (mode == kPeekAll) {
    long queued = sys::fionread(w.fd);
    if (queued >= 0 && static_cast<std::size_t>(queued) < len) {
      long ev = sys::revents_now(w.fd, POLLIN | POLLRDHUP);
      if (ev >= 0 && (ev & (POLLRDHUP | POLLHUP | POLLERR)) == 0) return queued > 0 ? wait::kRetryLater : -EAGAIN;
    }
  } else if (mode == kWaitAll && got > 0) {
    // An error after some bytes: they are the result, and the error is left for the next call, as
    // the kernel does.
    long ev = sys::revents_now(w.fd, POLLIN);
    if (ev > 0 && (ev & POLLERR) != 0 && sys::fionread(w.fd) == 0) return static_cast<long>(got);
  }
  sys::SockAddr src;
  char* at = static_cast<char*>(b.data) + got;
  int flags = static_cast<int>(w.arg[1]);
  long n = kFrom ? sys::recvfrom(w.fd, at, len - got, flags, &src) : sys::recv(w.fd, at, len - got, flags);
  if (mode == kWaitAll) {
    if (n > 0) {
      got += static_cast<std::size_t>(n);
      w.arg[3] = static_cast<int64_t>(got);
      if (got < len) return -EAGAIN;
      n = static_cast<long>(got);
    } else if (got > 0 && n != -EAGAIN) {
      n = static_cast<long>(got);  // end of stream (or an error) after some bytes: those bytes
    }
  }
  // Readable, yet nothing to take (a datagram that failed its checksum was dropped...): readiness
  // would report at once again, so the timer.
  if (n == -EAGAIN) return w.woken && sys::ready_now(w.fd, POLLIN) ? wait::kRetryLater : -EAGAIN;
  if (n >= 0 && kFrom) {
    long rc = write_address(env, src, element(env, slot, 1), slot);
    if (rc < 0) return rc;
  }
  return n;
}

long RecvCancel(napi_env, wait::Waiter& w) {
  return w.arg[3] > 0 ? static_cast<long>(w.arg[3]) : -ECANCELED;
}

// recv(fd, view, len, flags, id) / recvfrom(fd, slot, len, flags, id) -> n | -errno | Promise
template <bool kFrom>
napi_value Recv(napi_env env, napi_callback_info info) {
  Args<5> a(env, info);
  Bytes b = to_bytes(env, kFrom ? element(env, a[1], 2) : a[1]);
  int flags = to_i32(env, a[3], 0);
  wait::Waiter w;
  w.attempt = RecvAttempt<kFrom>;
  w.fd = to_i32(env, a[0]);
  w.events = POLLIN;
  w.arg[0] = static_cast<int64_t>(to_count(env, a[2], b));
  w.arg[2] = recv_mode(w.fd, flags);
  w.arg[1] = (w.arg[2] == kWaitAll ? flags & ~MSG_WAITALL : flags) | MSG_DONTWAIT;
  if (kFrom) w.id = to_id(env, a[4]);
  else read_id(env, a[4], w);
  w.on_cancel = RecvCancel;
  w.makes_room = true;
  return start_unless_dontwait(env, w, a[1], flags);
}

// arg[0] len, arg[1] flags (| MSG_DONTWAIT); sendto's destination in w.address.
template <bool kTo>
long SendAttempt(napi_env env, wait::Waiter& w, sys::Nowait&) {
  void* data = counted(env, w);
  if (data == nullptr) return -EFAULT;
  auto len = static_cast<std::size_t>(w.arg[0]);
  int flags = static_cast<int>(w.arg[1]);
  long n = kTo ? sys::sendto(w.fd, data, len, flags, w.address) : sys::send(w.fd, data, len, flags);
  // No room, yet the socket says it is writable: an AF_UNIX datagram to a receiver whose queue is
  // full (the sender's readiness knows nothing of it), so the timer.
  if (n == -EAGAIN && w.woken && sys::ready_now(w.fd, POLLOUT)) return wait::kRetryLater;
  return n;
}

// send(fd, view, len, flags, id) -> n | -errno | Promise
// sendto(fd, view, len, flags, family, text, port, flowinfo, scopeid, id) -> n | -errno |
//   badAddress | Promise
template <bool kTo>
napi_value Send(napi_env env, napi_callback_info info) {
  Args<10> a(env, info);
  wait::Waiter w;
  if (kTo) {
    long rc = read_address(env, &a.v[4], &w.address);
    if (rc != 0) return from_long(env, rc);
  }
  Bytes b = to_bytes(env, a[1]);
  int flags = to_i32(env, a[3], 0);
  w.attempt = SendAttempt<kTo>;
  w.fd = to_i32(env, a[0]);
  w.events = POLLOUT;
  w.arg[0] = static_cast<int64_t>(to_count(env, a[2], b));
  w.arg[1] = flags | MSG_DONTWAIT;
  if (kTo) w.id = to_id(env, a[9]);
  else read_id(env, a[4], w);
  return start_unless_dontwait(env, w, a[1], flags);
}

bool listening(int fd) noexcept {
  int on = 0;
  return sys::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on) == 0 && on != 0;
}

long AcceptAttempt(napi_env env, wait::Waiter& w, sys::Nowait&) {
  // Not ready: wait, unless the socket is not listening (accept fails at once then, as in C).
  if (!sys::ready_now(w.fd, POLLIN) && listening(w.fd)) return -EAGAIN;
  sys::SockAddr peer;
  long fd = sys::accept(w.fd, &peer);
  if (fd < 0) return fd;  // -EAGAIN too: a non-blocking listener whose connection another took
  napi_value slot = w.kept(env);
  long rc = write_address(env, peer, element(env, slot, 1), slot);
  if (rc < 0) {
    sys::close(static_cast<int>(fd));
    return rc;
  }
  return fd;
}

// accept(fd, slot, id) -> fd | -errno | Promise
napi_value Accept(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  wait::Waiter w;
  w.attempt = AcceptAttempt;
  w.fd = to_i32(env, a[0]);
  w.events = POLLIN;
  w.makes_room = true;
  w.id = to_id(env, a[2]);
  return wait::start(env, w, a[1]);
}

// arg[0] sys::ConnectKind, arg[1] 1 once the connection is under way.
long ConnectAttempt(napi_env, wait::Waiter& w, sys::Nowait&) {
  bool under_way = w.arg[1] != 0;
  auto kind = static_cast<sys::ConnectKind>(w.arg[0]);
  long rc = sys::connect_nowait(w.fd, w.address, kind);
  // Loopback completes the handshake within the call that starts it: asking again at once saves
  // an event-loop turn (elsewhere it says EALREADY, one system call more).
  if (rc == -EINPROGRESS && !under_way) {
    under_way = true;
    rc = sys::connect_nowait(w.fd, w.address, kind);
  }
  if (rc == -EINPROGRESS || rc == -EINTR || (under_way && rc == -EALREADY)) {
    w.arg[1] = 1;
    return -EAGAIN;  // POLLOUT once it is up or has failed
  }
  if (rc == -EAGAIN && w.address.ss.ss_family == AF_UNIX) return wait::kRetryLater;  // backlog full
  return rc;
}

long ConnectCancel(napi_env, wait::Waiter& w) {
  if (w.arg[1] != 0) sys::connect_abandon(w.fd);
  return -ECANCELED;
}

// connect(fd, family, text, port, flowinfo, scopeid, id) -> 0 | -errno | badAddress | Promise
napi_value Connect(napi_env env, napi_callback_info info) {
  Args<7> a(env, info);
  wait::Waiter w;
  long rc = read_address(env, &a.v[1], &w.address);
  if (rc != 0) return from_long(env, rc);
  w.fd = to_i32(env, a[0]);
  sys::ConnectKind kind = sys::ConnectKind::datagram;
  rc = sys::connect_kind(w.fd, &kind);
  if (rc < 0) return from_long(env, rc);
  w.attempt = ConnectAttempt;
  w.events = POLLOUT;
  w.arg[0] = static_cast<int64_t>(kind);
  w.id = to_id(env, a[6]);
  w.on_cancel = ConnectCancel;
  return wait::start(env, w, nullptr);
}

// ---- getaddrinfo ------------------------------------------------------------------------------

struct AsyncLookup : wait::Other {
  Lookup lookup;
  napi_async_work work = nullptr;
  napi_deferred deferred = nullptr;
  napi_ref err_out = nullptr;
  bool cancelled = false;
};

void LookupExecute(napi_env, void* data) {
  static_cast<AsyncLookup*>(data)->lookup.run();  // on a threadpool thread: no JavaScript values
}

void LookupComplete(napi_env env, napi_status status, void* data) {
  auto* l = static_cast<AsyncLookup*>(data);
  if (wait::end(env, l)) {
    napi_value result;
    if (l->cancelled || status != napi_ok) {
      result = from_long(env, -ECANCELED);  // lib/promises.ts has rejected it already
    } else {
      napi_value err_out = nullptr;
      napi_get_reference_value(env, l->err_out, &err_out);
      result = l->lookup.result(env, err_out);
    }
    napi_resolve_deferred(env, l->deferred, result);
  }
  napi_delete_reference(env, l->err_out);
  napi_delete_async_work(env, l->work);
  delete l;
}

void LookupCancel(napi_env env, wait::Other* call) {
  auto* l = static_cast<AsyncLookup*>(call);
  l->cancelled = true;
  napi_cancel_async_work(env, l->work);  // fails once a thread runs it: its result is dropped then
}

// getaddrinfo(node, service, flags, family, socktype, protocol, errOut, id) ->
//   Promise<entries | EAI code> (see Lookup::result), or EAI_NONAME at once for a bad argument
napi_value GetAddrInfo(napi_env env, napi_callback_info info) {
  Args<8> a(env, info);
  auto* l = new AsyncLookup();
  if (!l->lookup.read(env, a.v)) {
    delete l;
    return from_i32(env, EAI_NONAME);
  }
  l->id = to_id(env, a[7]);
  l->cancel = LookupCancel;
  napi_value name, promise;
  napi_create_string_utf8(env, "posix-ipc:getaddrinfo", NAPI_AUTO_LENGTH, &name);
  if (napi_create_async_work(env, nullptr, name, LookupExecute, LookupComplete, l, &l->work) != napi_ok) {
    delete l;
    return from_i32(env, EAI_MEMORY);
  }
  if (napi_queue_async_work(env, l->work) != napi_ok) {
    napi_delete_async_work(env, l->work);
    delete l;
    return from_i32(env, EAI_MEMORY);
  }
  napi_create_promise(env, &l->deferred, &promise);
  napi_create_reference(env, a[6], 1, &l->err_out);
  wait::begin(env, l);
  return promise;
}


// ---- Processes and FIFOs ----------------------------------------------------------------------

// arg[0] pid, arg[1] options; the status goes into the kept Int32Array(4).
long WaitAttempt(napi_env env, wait::Waiter& w, sys::Nowait&) {
  int status = 0;
  long rc = sys::waitpid(static_cast<pid_t>(w.arg[0]), &status, static_cast<int>(w.arg[1]) | WNOHANG);
  if (rc > 0) write_wait_status(env, w.kept(env), status);
  // Nothing yet: SIGCHLD (or the timer) tries again; a pidfd says when the child has ended (and
  // should it say so before waitpid does, the timer rather than a readiness that stays).
  if (rc == 0) return w.wakes_on_sigchld || sys::ready_now(w.fd, POLLIN) ? wait::kRetryLater : -EAGAIN;
  return rc;
}

// waitpid(pid, options, out, id) -> pid | 0 (WNOHANG) | -errno | Promise; out = [status, kind,
// value, core], as the sync call's
napi_value Waitpid(napi_env env, napi_callback_info info) {
  Args<4> a(env, info);
  auto pid = static_cast<pid_t>(to_i32(env, a[0]));
  int options = to_i32(env, a[1], 0);
  int status = 0;
  long rc = sys::waitpid(pid, &status, options | WNOHANG);
  if (rc > 0) write_wait_status(env, a[2], status);
  if (rc != 0 || (options & WNOHANG) != 0) return from_long(env, rc);
  wait::Waiter w;
  w.attempt = WaitAttempt;
  w.events = POLLIN;
  w.owns_fd = true;
  w.arg[0] = pid;
  w.arg[1] = options;
  w.id = to_id(env, a[3]);
  long fd = pid > 0 && (options & (WUNTRACED | WCONTINUED)) == 0 ? sys::pidfd_open(pid) : -ENOSYS;
  if (fd < 0) {
    fd = sys::token_fd();
    if (fd < 0) return from_long(env, fd);
    w.wakes_on_sigchld = true;
    w.retry_max_ms = 1000;  // SIGCHLD says when; the timer only covers a signal that came too early
  }
  w.fd = static_cast<int>(fd);
  return wait::start(env, w, a[2], w.wakes_on_sigchld);  // a pidfd: its readiness says when
}

// arg[0] flags, arg[1] mode; the path is the kept array's element 0 (a reference cannot hold a
// string itself). A writer whose FIFO has no reader yet.
long FifoWriterAttempt(napi_env env, wait::Waiter& w, sys::Nowait&) {
  CString path(env, element(env, w.kept(env), 0));
  if (!path.ok()) return -EINVAL;
  sys::FifoWait waits;
  long fd = sys::open_nowait(path.get(), static_cast<int>(w.arg[0]), static_cast<mode_t>(w.arg[1]), &waits);
  return waits == sys::FifoWait::reader ? wait::kRetryLater : fd;
}

// A reader (w.fd, opened) whose FIFO has no writer yet.
long FifoReaderAttempt(napi_env, wait::Waiter& w, sys::Nowait&) {
  long r = sys::fifo_has_writer(w.fd);
  return r == 0 ? wait::kRetryLater : (r < 0 ? r : w.fd);
}

// open(path, flags, mode, id) -> fd | -errno | Promise
napi_value Open(napi_env env, napi_callback_info info) {
  Args<4> a(env, info);
  CString path(env, a[0]);
  if (!path.ok()) return from_long(env, -EINVAL);
  int flags = to_i32(env, a[1], 0);
  auto mode = static_cast<mode_t>(to_i32(env, a[2], 0));
  if ((flags & O_NONBLOCK) != 0) return from_long(env, sys::open(path.get(), flags, mode));  // never waits, as in C
  sys::FifoWait waits;
  long fd = sys::open_nowait(path.get(), flags, mode, &waits);
  if (fd >= 0) wait::wake(env);  // a FIFO end: a call waiting for this one may go
  if (waits == sys::FifoWait::none) return from_long(env, fd);
  wait::Waiter w;
  w.events = POLLIN;
  w.owns_fd = true;
  w.makes_room = true;
  w.arg[0] = flags;
  w.arg[1] = mode;
  w.id = to_id(env, a[3]);
  if (waits == sys::FifoWait::writer) {
    w.attempt = FifoReaderAttempt;
    w.fd = static_cast<int>(fd);
    w.hands_over_fd = true;  // closed if the call fails or is aborted, the result once a writer came
  } else {
    w.attempt = FifoWriterAttempt;
    fd = sys::token_fd();
    if (fd < 0) return from_long(env, fd);
    w.fd = static_cast<int>(fd);
  }
  napi_value keep;
  napi_create_array_with_length(env, 1, &keep);
  napi_set_element(env, keep, 0, a[0]);
  return wait::start(env, w, keep);  // attempted again at once, then on the retry timer
}

}  // namespace

void register_promises(napi_env env, napi_value exports, napi_value) {
  napi_value promises = wait::promises(env, exports);
  define(env, promises, "read", Transfer<ReadAttempt, POLLIN>);
  define(env, promises, "write", Transfer<WriteAttempt, POLLOUT>);
  define(env, promises, "poll", Poll);
  define(env, promises, "accept", Accept);
  define(env, promises, "connect", Connect);
  define(env, promises, "send", Send<false>);
  define(env, promises, "recv", Recv<false>);
  define(env, promises, "sendto", Send<true>);
  define(env, promises, "recvfrom", Recv<true>);
  define(env, promises, "getaddrinfo", GetAddrInfo);
  define(env, promises, "waitpid", Waitpid);
  define(env, promises, "open", Open);
}

}  // namespace napi_glue
