// The event-loop machinery of posix-ipc/promises. A pending call does not park a thread: it waits
// in the event loop until its descriptor is ready, then makes its call without waiting
// (sys::Nowait, MSG_DONTWAIT, WNOHANG...); -EAGAIN puts it back to wait, anything else settles it.
//
// Per env (main thread or worker) there is one readiness set (sys::ready_*, epoll), watched by one
// uv_poll_t on the env's loop. Every descriptor with pending calls has one Watcher: one one-shot
// registration in that set however many calls wait on it, and two first-come-first-served queues,
// calls waiting to read (POLLIN) and calls waiting to write (POLLOUT). On readiness the calls of a
// queue are attempted in order until one gets -EAGAIN.
//
// Why a set and not a uv_poll_t per descriptor: uv_poll_init sets O_NONBLOCK on the descriptor it
// is given, and that flag belongs to the open file description, which dups and forked children
// share. Adding a descriptor to an epoll set changes nothing about it.
//
// Some calls have nothing to wait for that readiness reports: an AF_UNIX connect whose listener's
// backlog is full, a datagram sendto to an AF_UNIX receiver whose queue is full (the sender stays
// writable), a recv(MSG_PEEK | MSG_WAITALL) with too few bytes queued. Their attempt returns
// kRetryLater: the call is attempted again on a timer (1 ms, doubling up to kRetryMaxMs), and
// while it sleeps the calls queued behind it on that descriptor and direction wait with it. When a
// call of this env that makes room succeeds (an accept takes a connection off a backlog, a recv
// takes bytes or a datagram off a queue), every sleeping call is attempted again at once: a
// server and its clients in one script do not wait for the timers.
//
// A call settles with a number: >= 0 is its result, < 0 a -errno that lib/promises.ts turns into
// a SyscallError (policy stays in TypeScript). Calls whose result is more than a number write it
// into memory the TS layer passed in and keeps (accept's address, poll's revents).
#pragma once
#include <node_api.h>

#include <cstdint>

#include "args.h"
#include "sys/address.h"
#include "sys/promises.h"

struct uv_timer_s;

namespace napi_glue {
namespace wait {

// What an attempt returns when nothing will report readiness: try again on the retry timer.
// Not an errno (errnos are small), nor sys::kBadAddress.
constexpr long kRetryLater = -(1L << 21);
// The longest wait between two attempts of a call that returned kRetryLater.
constexpr unsigned kRetryMaxMs = 20;

struct Waiter;
struct Watcher;

// A call's attempt: makes the call without waiting and returns >= 0 or -errno to settle it, or
// -EAGAIN to keep waiting. `nowait` is the descriptor's Nowait (for read/write-like calls).
using Attempt = long (*)(napi_env env, Waiter& w, sys::Nowait& nowait);

struct Waiter {
  // Set by the call before start().
  Attempt attempt = nullptr;
  int fd = -1;             // the descriptor whose readiness the call waits for
  short events = 0;        // POLLIN or POLLOUT: which queue of that descriptor
  uint32_t id = 0;         // what cancel(id) names; 0 when the call has no AbortSignal
  uint8_t reject_as = 0;   // > 0: a result < 0 rejects the promise with the error the TS layer's
                           //   maker (promises.rejectWith) builds for this syscall code and fd
  int64_t arg[4] = {};     // the call's numbers (count, flags...) and state kept between attempts
  sys::SockAddr address{}; // connect's and sendto's address, converted when the call is made
  bool owns_fd = false;    // fd was opened for this call (poll's set, a pidfd): closed when it settles
  bool hands_over_fd = false;  // with owns_fd: a result >= 0 is fd itself, kept open (a FIFO open)
  bool makes_room = false; // succeeding, it may make room a sleeping call waits for (accept, recv)
  bool wakes_on_sigchld = false;     // a sleeping waitpid: SIGCHLD attempts it again at once
  unsigned retry_max_ms = kRetryMaxMs;  // the longest wait between two attempts (kRetryLater)
  int timeout = -1;        // > 0: after this many ms the call is attempted one last time and
  long on_timeout = 0;     //   settles with its result, or with on_timeout if that is -EAGAIN
  // Called when the call's AbortSignal fires while it waits; returns what it settles with:
  // -ECANCELED (consumed nothing: the default without a hook), or a result >= 0 when what the
  // call already did cannot be undone (a recv with MSG_WAITALL that has taken bytes).
  long (*on_cancel)(napi_env env, Waiter& w) = nullptr;

  // The JS value start() was given to keep (the call's buffer, or an array holding it and the
  // places an address goes), and the bytes of that value as a buffer. Fetched afresh at each
  // attempt: an ArrayBuffer can be detached (transferred) while the call waits.
  napi_value kept(napi_env env) const noexcept;
  Bytes bytes(napi_env env) const noexcept;

  // Managed by wait.cc.
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
  Watcher* watcher = nullptr;
  napi_deferred deferred = nullptr;
  napi_ref keep = nullptr;
  napi_value keep_now = nullptr;  // during start(), before `keep` exists
  uv_timer_s* timer = nullptr;    // the deadline (timeout)
  uv_timer_s* retry = nullptr;    // the retry timer (kRetryLater)
  unsigned retry_ms = 0;          // the last wait on it
  bool sleeping = false;          // on the retry timer: its queue is not armed meanwhile
  // The attempt follows a readiness report or a timer; false for the first attempt, made when the
  // call starts. An attempt's extra check for "ready, yet it would wait" (a poll(2)) is worth
  // making only then: the first attempt's -EAGAIN simply waits, and readiness tells the rest.
  bool woken = false;
};

// Starts a call described by `call` (copied only if it has to wait). Its first attempt is made at
// once (unless `attempt_now` is false: the caller already tried), except when earlier calls wait
// on the same descriptor and direction: then it queues behind them. Returns the result as a
// number when the call settled at once, otherwise a promise of it. `keep` is the JS value whose
// memory the call uses; it stays alive until the call settles.
napi_value start(napi_env env, const Waiter& call, napi_value keep, bool attempt_now = true);

// A pending call that waits for something other than a descriptor (getaddrinfo's threadpool
// work). begin() counts it, so that the env's cleanup waits for it to finish, and makes it
// cancellable by id (if id != 0); end() undoes both and returns false when the env is going away
// (its completion must not call into JavaScript then, only free what it holds).
struct Other {
  uint32_t id = 0;
  void (*cancel)(napi_env env, Other* call) = nullptr;  // cancel(id) calls it (once)
};
void begin(napi_env env, Other* call);
bool end(napi_env env, Other* call);

// Attempts every call sleeping on its retry timer again, in the loop's next turn: something that
// may let them through happened (a FIFO end was opened).
void wake(napi_env env);

// The `promises` object on the addon's exports, created with the machinery's own functions:
//   cancel(id) -> boolean   a call with that id was waiting; it settles with -ECANCELED and
//                           consumed nothing
//   closing(fd)             the descriptor is about to be closed: its calls settle with -EBADF,
//                           in this thread and in every other (worker_threads) that waits on it
//   rejectWith(make)        make(rc, code, fd) -> Error: what a call with reject_as rejects with
//   watched: Int32Array(1)  how many descriptors have waiting calls, in every thread of the
//                           process (close() looks before calling closing(), so a close with
//                           nothing waiting anywhere costs one array read)
// Topic files define their promise calls on it.
napi_value promises(napi_env env, napi_value exports);

// For close(2) of `fd` in this env's thread: whether calls of other threads (worker_threads) may
// be waiting on it, and then the file it names now. After a successful close, closed_elsewhere
// tells them: their calls on that descriptor, if it still named that file, settle with -EBADF.
// (Had it not been closed by posix-ipc, epoll would drop it silently and they would wait for ever.)
bool waiting_elsewhere(napi_env env, int fd, sys::FileId* file) noexcept;
void closed_elsewhere(napi_env env, int fd, const sys::FileId& file) noexcept;

// Creates the env's registry (module.cc, once per env, after create_instance).
void register_wait(napi_env env, napi_value exports);

}  // namespace wait
}  // namespace napi_glue
