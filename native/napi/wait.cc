#include "wait.h"

#include <dlfcn.h>
#include <unistd.h>
#include <uv.h>

#include <cstdlib>

#include <mutex>
#include <unordered_map>
#include <utility>
#include <unordered_set>
#include <vector>

#include "instance.h"
#include "sys/io.h"

namespace napi_glue {
namespace wait {

struct Queue {
  Waiter* head = nullptr;
  Waiter* tail = nullptr;
  bool empty() const noexcept { return head == nullptr; }
};

struct Watcher {
  explicit Watcher(sys::Nowait&& n) noexcept : nowait(static_cast<sys::Nowait&&>(n)) {}
  int fd() const noexcept { return nowait.fd(); }
  Queue in, out;        // calls waiting to read (POLLIN), to write (POLLOUT); first come, first served
  sys::Nowait nowait;   // how this descriptor is read and written without waiting
  unsigned armed = 0;   // what the one-shot registration will report; 0 once it has fired
  // The registration may still be armed although `armed` says 0: a wakeup tried its calls without
  // reading its report from the set (on_ready). Cleared by a re-arm or a report read.
  bool maybe_armed = false;
  bool in_set = false;  // registered in the set (armed or not), or in libuv's instance if `direct`
  bool direct = false;  // its registration is the direct one (Registry::direct)
  bool owned = false;   // the descriptor was opened for the call (poll's set): closed with the watcher
  // The file the descriptor named when the first call began waiting, taken (fstat) only where the
  // set cannot tell: an owned descriptor, or a watcher with no registration. A registered watcher
  // asks the set instead (still_same), which costs nothing until a question is asked.
  sys::FileId file;
  bool has_file = false;
};

struct Registry {
  napi_env env = nullptr;
  uv_loop_t* loop = nullptr;
  int set = -1;                  // the readiness set, created on the first call that waits
  uv_poll_t* handle = nullptr;   // watches `set`; referenced (keeps the loop alive) while pending > 0
  std::unordered_map<int, Watcher*> watchers;
  // Descriptors whose one-shot registration fired and stays in the set after their calls settled,
  // disarmed (or still armed after a wakeup that did not read it: armed_parked): the next call
  // that waits on one re-arms it (EPOLL_CTL_MOD, one system call) instead of adding it again and
  // deleting it afterwards (two, and a kernel allocation). If the number names another open file
  // by then, MOD finds no registration for it (epoll keys them by file and number) and the call
  // adds one; a disarmed registration left behind reports nothing.
  std::unordered_set<int> parked;
  // Those of them that may still report, once (parked with Watcher::maybe_armed): while there are
  // any, a report cannot be taken for the one watcher's without reading the set (on_ready).
  std::unordered_set<int> armed_parked;
  // A registration that may still report once was found not to be its number's file any more
  // (closed behind posix-ipc's back): it cannot be named to take it out, and may report under that
  // number at any time, so every wakeup reads the set from then on (on_ready).
  bool stray = false;
  // The direct registration. The set is itself watched by libuv's epoll instance, and a member's
  // report wakes the loop through that nesting, which the kernel pays for on every wakeup and on
  // every turn's epoll_wait (~0.7 µs a round trip of a ping-pong, measured in C). So one
  // descriptor at a time (the first to wait while the slot is free: a conversation on one socket,
  // a server's listener) is registered in libuv's instance itself (uv_backend_fd), one-shot, with
  // its reports tagged with the number of `placeholder`, an empty epoll instance that libuv
  // watches through `direct_handle`: libuv hands them to on_direct, which knows they are that
  // descriptor's. If a Node handle already watches that file under that number (EEXIST), the
  // descriptor goes to the set instead; descriptors 0-2, which Node's stdio may watch, always do. Everything else (re-arming with EPOLL_CTL_MOD, parking, the checks that the number still
  // names the same file) is as for the set's members.
  //
  // libuv's instance also holds Node's registrations, and epoll names a registration by open file
  // and number: so posix-ipc never adds, re-arms or removes one there under a number libuv itself
  // watches (loop->watchers, read from uv.h's loop structure; see libuv_watches), where it would
  // take over or remove a Node handle's registration, and a check before each loop turn
  // (on_prepare) sees a Node handle started on the direct descriptor before libuv registers it,
  // and moves the direct descriptor's calls to the set. Not used at all when libuv batches its
  // epoll_ctl calls in io_uring (UV_USE_IO_URING), where its own changes happen later than asked.
  int placeholder = -1;
  uv_poll_t* direct_handle = nullptr;
  int direct = -1;            // the descriptor whose registration is the direct one (waiting or parked)
  bool direct_parked_armed = false;  // parked, it may still report once (as armed_parked)
  sys::FileId direct_file;    // the open file it was registered for
  uv_prepare_t* prepare = nullptr;  // on_prepare, active while there is a direct registration
  // Every second while calls wait on the direct registration, one that has waited since the last
  // tick has it re-armed (rearm_direct): another addon's uv_poll_t on the same descriptor removes
  // it by number (uv_poll_init, uv_poll_stop), which nothing else would notice.
  uv_timer_t* watchdog = nullptr;
  uint64_t direct_arms = 0;  // times the direct registration was armed
  uint64_t watchdog_seen = 0;  // direct_arms at the last tick
  bool direct_allowed = false;      // libuv issues its epoll_ctl calls itself (io_uring_in_use)
  // Placeholders retired because a direct registration tagged with theirs was found not to be its
  // number's file any more while it could still report (closed behind posix-ipc's back, its file
  // kept open elsewhere): such a report cannot be taken out or told from another's, so later
  // direct registrations get a new placeholder, and the old one stays watched, its reports
  // ignored, until the env goes (closing it would let its number name something else that libuv
  // could then be handed those reports for). After kMaxRetired, descriptors wait in the set.
  std::vector<std::pair<int, uv_poll_t*>> retired;
  unsigned fresh = 0;  // new registrations made while every placeholder is retired
  std::unordered_map<uint32_t, Waiter*> by_id;
  std::unordered_map<uint32_t, Other*> others;  // cancellable calls that wait for something else
  std::size_t other_count = 0;   // those, cancellable or not (getaddrinfo's work in the threadpool)
  bool closing = false;          // the env is going away: Cleanup waits for other_count == 0
  std::size_t pending = 0;       // calls waiting
  std::size_t owned = 0;         // watchers of descriptors opened for their call (poll's sets)
  uv_timer_t* recheck = nullptr; // after a close, looks again at those (poll reports POLLNVAL)
  std::unordered_set<Waiter*> sleepers;  // calls on their retry timer
  uv_timer_t* wake = nullptr;    // attempts them all again, once room may have been made
  uv_signal_t* sigchld = nullptr;  // wakes them when a child changes state (waitpid without pidfd)
  std::size_t sigchld_users = 0;   // the waiting calls that want it
  int32_t* watched = nullptr;    // watchers.size(), in an Int32Array that close() reads
  napi_ref resource = nullptr;   // the promises object: the async resource of the callbacks
  napi_ref make_error = nullptr; // promises.rejectWith's function (Waiter::reject_as)
  napi_async_context async = nullptr;
  napi_async_cleanup_hook_handle cleanup = nullptr;
  // Closes made by posix-ipc in other threads (see Threads).
  uv_async_t* closed_async = nullptr;             // wakes this env's loop to settle their calls
  std::vector<std::pair<int, sys::FileId>> closed; // the descriptors and what they named; Threads::mutex
  int32_t counted = 0;                            // this env's share of Threads::watchers
  int handles = 0;                                // loop handles still closing at cleanup
};

// Every env's registry (main thread and worker_threads), so that posix-ipc's close in one thread
// reaches the calls waiting on that descriptor in another: a descriptor belongs to the process,
// and closing it silently takes it out of every epoll set, so without word from the closing
// thread those calls would wait for ever. Each env's `watched` holds the count over all envs, and
// after close(2) closed_elsewhere() posts the fd to every other env with waiting calls, which
// settles them with EBADF on its own thread (uv_async_send); after the close, so that a poll
// listing it sees POLLNVAL. Never freed: a worker can end after static destructors run.
struct Threads {
  std::mutex mutex;
  std::vector<Registry*> all;
  int32_t watchers = 0;  // descriptors with waiting calls, over all envs (written under the lock)
  pid_t pid = 0;         // the process: a child made by fork() has only the forking thread
};

Threads& threads() noexcept {
  static Threads* t = new Threads;
  return *t;
}

// A poll-style call's deadline, or the retry timer of a call that returned kRetryLater.
struct Timer {
  uv_timer_t handle;
  Registry* registry;
  Waiter* waiter;
};

namespace {

Registry& registry(napi_env env) noexcept { return *instance(env)->wait; }

Queue& queue_of(Watcher& wt, short events) noexcept { return (events & POLLOUT) ? wt.out : wt.in; }

void link(Watcher& wt, Waiter* w) noexcept {
  Queue& q = queue_of(wt, w->events);
  w->prev = q.tail;
  w->next = nullptr;
  (q.tail ? q.tail->next : q.head) = w;
  q.tail = w;
  w->watcher = &wt;
}

void unlink(Waiter* w) noexcept {
  if (w->watcher == nullptr) return;
  Queue& q = queue_of(*w->watcher, w->events);
  (w->prev ? w->prev->next : q.head) = w->next;
  (w->next ? w->next->prev : q.tail) = w->prev;
  w->prev = w->next = nullptr;
  w->watcher = nullptr;
}

// The set's handle keeps the loop alive exactly while calls wait, as a pending socket does.
void hold(Registry& r, bool more) noexcept {
  if (more) {
    if (r.pending++ == 0) uv_ref(reinterpret_cast<uv_handle_t*>(r.handle));
  } else if (--r.pending == 0) {
    uv_unref(reinterpret_cast<uv_handle_t*>(r.handle));
  }
}

// Publishes the number of descriptors with waiting calls, summed over every env, into each env's
// `watched` (read by close() on that env's thread: a relaxed store, as an int32 never tears).
void count_watchers(Registry& r) noexcept {
  Threads& t = threads();
  auto n = static_cast<int32_t>(r.watchers.size());
  std::lock_guard<std::mutex> lock(t.mutex);
  __atomic_store_n(&t.watchers, t.watchers + n - r.counted, __ATOMIC_RELAXED);
  r.counted = n;
  for (Registry* each : t.all) __atomic_store_n(each->watched, t.watchers, __ATOMIC_RELAXED);
}

void on_ready(uv_poll_t* handle, int status, int events);
void on_direct(uv_poll_t* handle, int status, int events);
void retire_placeholder(Registry& r) noexcept;

// Where a watcher's registration is (libuv's epoll instance or the set), and the number its
// reports name.
int instance_of(const Registry& r, const Watcher& wt) noexcept { return wt.direct ? uv_backend_fd(r.loop) : r.set; }
int tag_of(const Registry& r, const Watcher& wt) noexcept { return wt.direct ? r.placeholder : -1; }

// Whether libuv has a watcher (a Node handle's, or its own) for this descriptor number. The loop's
// `watchers` table is in uv.h's uv_loop_t (UV_LOOP_PRIVATE_FIELDS), laid out alike in every libuv
// 1.x, since programs embed the structure; libuv sets an entry when a handle starts watching the
// number (before its epoll_ctl, made on its next turn) and clears it when the handle stops.
bool libuv_watches(const uv_loop_t* loop, int fd) noexcept {
  return fd >= 0 && static_cast<unsigned>(fd) < loop->nwatchers && loop->watchers[fd] != nullptr;
}

// Whether libuv defers its epoll_ctl calls to an io_uring (UV_USE_IO_URING): a removal it queued
// for a closed descriptor could then land on a registration posix-ipc made since under that
// number. Node's libuv says (a function Node adds to it); otherwise the variable does, and libuv
// 1.45-1.46, which enabled io_uring by default, are taken as using it.
bool io_uring_in_use() noexcept {
  using Probe = int (*)();
  if (auto probe = reinterpret_cast<Probe>(dlsym(RTLD_DEFAULT, "uv__node_patch_is_using_io_uring"))) return probe() != 0;
  if (const char* v = std::getenv("UV_USE_IO_URING")) return std::atoi(v) != 0;
  return UV_VERSION_MAJOR == 1 && (UV_VERSION_MINOR == 45 || UV_VERSION_MINOR == 46);
}

void on_prepare(uv_prepare_t* handle);
void on_watchdog(uv_timer_t* handle);
long arm(Registry& r, Watcher& wt) noexcept;

// The direct slot is taken (or parked) by `fd`: on_prepare watches for a Node handle on it.
void occupy_direct(Registry& r, int fd) noexcept {
  r.direct = fd;
  if (r.prepare == nullptr) {
    r.prepare = new uv_prepare_t;
    uv_prepare_init(r.loop, r.prepare);
    r.prepare->data = &r;
    uv_unref(reinterpret_cast<uv_handle_t*>(r.prepare));
  }
  uv_prepare_start(r.prepare, on_prepare);
  if (r.watchdog == nullptr) {
    r.watchdog = new uv_timer_t;
    uv_timer_init(r.loop, r.watchdog);
    r.watchdog->data = &r;
    uv_unref(reinterpret_cast<uv_handle_t*>(r.watchdog));
  }
  uv_timer_start(r.watchdog, on_watchdog, 1000, 1000);
}

void vacate_direct(Registry& r) noexcept {
  r.direct = -1;
  r.direct_parked_armed = false;
  if (r.prepare != nullptr) uv_prepare_stop(r.prepare);
  if (r.watchdog != nullptr) uv_timer_stop(r.watchdog);
}

// The watcher's registration could not be re-armed or taken out under its number (EPOLL_CTL_MOD or
// DEL refused: ENOENT or EPERM, the number names another file now; EBADF, none): if it was armed or
// may still be, it is a stray from now on. (posix-ipc's own close from another thread gets here
// too, since its registration is gone with the number; the stray is then only presumed.)
void lost(Registry& r, Watcher& wt) noexcept {
  bool may_report = wt.maybe_armed || wt.armed != 0;
  wt.maybe_armed = false;
  wt.armed = 0;
  if (wt.direct) {
    wt.direct = false;
    vacate_direct(r);
    if (may_report) retire_placeholder(r);
  } else if (may_report) {
    r.stray = true;
  }
}

// Re-arms the direct registration (EPOLL_CTL_MOD in libuv's instance). If the registration is gone
// although the number still names the file it was made for and libuv does not watch the number,
// something removed it by number (another addon's uv_poll_t on the same descriptor: uv_poll_init
// and uv_poll_stop make an EPOLL_CTL_DEL): it is made again, and reports what is ready already.
long rearm_direct(Registry& r, Watcher& wt, unsigned events) noexcept {
  if (libuv_watches(r.loop, wt.fd())) return -EEXIST;  // a Node handle's now (on_prepare moves it)
  int backend = uv_backend_fd(r.loop);
  long rc = sys::ready_watch(backend, wt.fd(), events, sys::Report::once, true, r.placeholder);
  if (rc != -ENOENT) return rc;
  sys::FileId now;
  if (sys::file_id(wt.fd(), &now) != 0 || now != r.direct_file) return rc;
  return sys::ready_watch(backend, wt.fd(), events, sys::Report::once, false, r.placeholder);
}

// Whether the descriptor still names the open file the watcher's calls wait on, or was closed
// behind posix-ipc's back (and perhaps its number reused). A registered watcher asks the set:
// epoll keys a registration by open file and number, so re-arming it as it is (EPOLL_CTL_MOD)
// finds none once the number names another file or none. Otherwise the identities are compared.
bool still_same(Registry& r, Watcher& wt) noexcept {
  if (wt.direct && libuv_watches(r.loop, wt.fd())) {
    // A Node handle watches the number now: its registration must not be touched. The file says
    // whether the number was given to Node as it was (a net.Socket on it: the calls go to the set,
    // as two owners of one descriptor did before) or closed and reused.
    sys::FileId now;
    bool same = sys::file_id(wt.fd(), &now) == 0 && now == r.direct_file;
    // If libuv's ADD takes this registration over (the same file, a handle still started at its
    // next turn), it is no stray; the kernel's listing says which (retire_placeholder).
    lost(r, wt);
    wt.in_set = false;
    if (!same) return false;
    wt.file = now;
    wt.has_file = true;
    return arm(r, wt) == 0;  // its calls, if any, wait in the set from now on
  }
  if (wt.in_set) {
    long rc = wt.direct ? rearm_direct(r, wt, wt.armed) : sys::ready_watch(r.set, wt.fd(), wt.armed, sys::Report::once, true);
    if (rc != 0) return false;
    // The kernel adds EPOLLERR | EPOLLHUP to every MOD: a registration re-armed with nothing can
    // still report a hang-up, once.
    if (wt.armed == 0) wt.maybe_armed = true;
    return true;
  }
  sys::FileId now;
  return !wt.has_file || (sys::file_id(wt.fd(), &now) == 0 && now == wt.file);
}

// A placeholder for the direct registration (Registry::direct); without one, every descriptor waits
// in the set.
void new_placeholder(Registry& r) noexcept {
  r.placeholder = -1;
  r.direct_handle = nullptr;
  long placeholder = sys::ready_create();
  if (placeholder < 0) return;
  auto* d = new uv_poll_t;
  if (uv_poll_init(r.loop, d, static_cast<int>(placeholder)) != 0) {
    delete d;
    sys::close(static_cast<int>(placeholder));
    return;
  }
  d->data = &r;
  // Writable too, or libuv would drop a direct report of POLLOUT (it passes on only what the
  // handle asked for); an epoll instance is never writable, and this one never readable.
  uv_poll_start(d, UV_READABLE | UV_WRITABLE, on_direct);
  uv_unref(reinterpret_cast<uv_handle_t*>(d));  // the set's handle holds the loop for all calls
  r.placeholder = static_cast<int>(placeholder);
  r.direct_handle = d;
}

constexpr std::size_t kMaxRetired = 8;

// Takes back a retired placeholder none of whose registrations is armed any more (their files were
// closed, or they reported), if there is one: true if it is the current one now.
bool reclaim_placeholder(Registry& r) noexcept {
  int tags[kMaxRetired];
  long counts[kMaxRetired];
  int n = 0;
  for (const auto& [fd, handle] : r.retired) tags[n++] = fd;
  if (n == 0 || sys::ready_armed_tagged(uv_backend_fd(r.loop), tags, counts, n) != 0) return false;
  for (int i = 0; i < n; i++) {
    if (counts[i] != 0) continue;
    r.placeholder = r.retired[static_cast<std::size_t>(i)].first;
    r.direct_handle = r.retired[static_cast<std::size_t>(i)].second;
    r.retired.erase(r.retired.begin() + i);
    return true;
  }
  return false;
}

// A direct registration that could still report was lost (see Registry::retired). The kernel's
// listing of libuv's instance says whether one tagged with this placeholder is still armed: its
// file was not closed, only its number (a dup, a fork, a file kept by another). If none is, the
// placeholder stays. If one is, or the listing cannot be read, it is retired, and a retired one
// with nothing armed any more, or a new one, takes its place: so the placeholders are as many as
// the lost registrations that can still report, at most kMaxRetired + 1 (then the set alone).
// Reading the listing costs ~1 ms per 1,000 registrations in libuv's instance (the kernel writes
// it out whole), paid only when a direct registration is lost or its number goes to a Node
// handle, and when a retired placeholder is looked at again.
void retire_placeholder(Registry& r) noexcept {
  if (r.direct_handle == nullptr) return;
  long armed = 0;
  if (sys::ready_armed_tagged(uv_backend_fd(r.loop), &r.placeholder, &armed, 1) == 0 && armed == 0) return;
  r.retired.emplace_back(r.placeholder, r.direct_handle);
  r.placeholder = -1;
  r.direct_handle = nullptr;  // the next descriptor to register takes another (placeholder_for_next)
}

// Before a new registration: a placeholder for it, if there is none (the first, or the last one
// was retired), taken back from the retired ones or made, made only then so that a descriptor
// number is taken at a call that registers, as the set's own is, not at a close. With every
// placeholder retired, they are looked at again every 256th new registration.
void placeholder_for_next(Registry& r) noexcept {
  if (r.direct_handle != nullptr) return;
  if (r.retired.size() < kMaxRetired) {
    if (r.retired.empty() || !reclaim_placeholder(r)) new_placeholder(r);
  } else if ((++r.fresh & 255) == 0) {
    reclaim_placeholder(r);
  }
}

long ensure_set(Registry& r) noexcept {
  if (r.set >= 0) return 0;
  long set = sys::ready_create();
  if (set < 0) return set;
  auto* h = new uv_poll_t;
  int e = uv_poll_init(r.loop, h, static_cast<int>(set));  // sets O_NONBLOCK on our own set only
  if (e != 0) {
    delete h;
    sys::close(static_cast<int>(set));
    return e;  // libuv's errors are -errno on Unix
  }
  h->data = &r;
  uv_poll_start(h, UV_READABLE, on_ready);  // cannot fail once initialised
  uv_unref(reinterpret_cast<uv_handle_t*>(h));
  r.set = static_cast<int>(set);
  r.handle = h;
  return 0;
}

// Whether a queue waits for readiness: it has calls, and the first is not on its retry timer.
bool wants(const Queue& q) noexcept { return q.head != nullptr && !q.head->sleeping; }

// The parked direct registration is given up without touching it (its number is not its file's
// any more, or libuv's now): the slot is free, and if it may still report, its placeholder goes,
// as in lost().
void forget_parked_direct(Registry& r) noexcept {
  bool may_report = r.direct_parked_armed;
  r.parked.erase(r.direct);
  vacate_direct(r);
  if (may_report) retire_placeholder(r);
}

// The direct registration is parked (no call waits on its descriptor): a new descriptor that waits
// takes the slot if the parked one's number no longer names its file (closed behind posix-ipc's
// back: by Node, fs.closeSync, a dup2 over it), which re-arming it with nothing (EPOLL_CTL_MOD)
// tells, at one system call per new descriptor; so a number closed that way does not keep every
// later conversation in the set. A parked one still open keeps the slot: its next call re-arms it.
void free_parked_direct(Registry& r) noexcept {
  if (!libuv_watches(r.loop, r.direct) &&
      sys::ready_watch(uv_backend_fd(r.loop), r.direct, 0, sys::Report::once, true, r.placeholder) == 0) {
    r.direct_parked_armed = true;  // the kernel adds EPOLLERR | EPOLLHUP: it may report a hang-up once
    return;
  }
  forget_parked_direct(r);
}

// (Re)arms the watcher's one-shot registration for what its queues wait for.
long arm(Registry& r, Watcher& wt) noexcept {
  unsigned wanted = (wants(wt.in) ? POLLIN : 0u) | (wants(wt.out) ? POLLOUT : 0u);
  if ((wanted & ~wt.armed) == 0) return 0;
  long rc = -1;
  if (wt.direct && libuv_watches(r.loop, wt.fd())) {
    // A Node handle started on it since (on_prepare had no turn yet): to the set.
    lost(r, wt);
    wt.in_set = false;
  }
  bool direct_ok = r.direct_allowed && !wt.in_set && !wt.owned && wt.fd() > 2 && !libuv_watches(r.loop, wt.fd());
  if (direct_ok && r.direct >= 0 && r.watchers.find(r.direct) == r.watchers.end()) free_parked_direct(r);
  if (direct_ok && r.direct < 0) placeholder_for_next(r);
  if (direct_ok && r.direct < 0 && r.direct_handle != nullptr) {
    // The direct slot is free. Refused (EEXIST: libuv has this file under this number for a Node
    // handle; or the errors the set would give too), the set.
    rc = sys::ready_watch(uv_backend_fd(r.loop), wt.fd(), wanted, sys::Report::once, false, r.placeholder);
    if (rc == 0) {
      wt.direct = true;
      occupy_direct(r, wt.fd());
      if (sys::file_id(wt.fd(), &r.direct_file) != 0) r.direct_file = sys::FileId{};
    }
  }
  if (rc != 0) {
    rc = wt.direct && wt.in_set ? rearm_direct(r, wt, wanted)
                                : sys::ready_watch(instance_of(r, wt), wt.fd(), wanted, sys::Report::once, wt.in_set, tag_of(r, wt));
  }
  // EEXIST: this file already has a registration under this number, left disarmed in the set when
  // the number went to another file (closed behind posix-ipc's back) and then came back to it.
  if (rc == -EEXIST && !wt.in_set && !wt.direct) rc = sys::ready_watch(r.set, wt.fd(), wanted, sys::Report::once, true);
  if (rc == 0) {
    wt.in_set = true;
    wt.armed = wanted;
    wt.maybe_armed = false;
    if (wt.direct) {
      r.direct_arms++;
      if (!uv_is_active(reinterpret_cast<uv_handle_t*>(r.watchdog))) uv_timer_start(r.watchdog, on_watchdog, 1000, 1000);
    }
  }
  return rc;
}

void close_timer(uv_timer_s*& timer) noexcept {
  if (timer == nullptr) return;
  uv_timer_stop(reinterpret_cast<uv_timer_t*>(timer));
  uv_close(reinterpret_cast<uv_handle_t*>(timer), [](uv_handle_t* h) { delete reinterpret_cast<Timer*>(h); });
  timer = nullptr;
}

void close_timers(Registry& r, Waiter* w) noexcept {
  close_timer(w->timer);
  if (w->retry != nullptr) r.sleepers.erase(w);
  close_timer(w->retry);
}

void on_retry(uv_timer_t* handle);

// Some room was made (a connection accepted, bytes or a datagram received): the sleeping calls
// are attempted again in the loop's next timer phase, once however many calls made room before.
void wake_sleepers(Registry& r) noexcept {
  if (r.sleepers.empty()) return;
  if (r.wake == nullptr) {
    r.wake = new uv_timer_t;
    uv_timer_init(r.loop, r.wake);
    r.wake->data = &r;
  }
  if (uv_is_active(reinterpret_cast<uv_handle_t*>(r.wake))) return;
  uv_timer_start(r.wake, [](uv_timer_t* h) {
    Registry& reg = *static_cast<Registry*>(h->data);
    for (Waiter* w : reg.sleepers) uv_timer_start(reinterpret_cast<uv_timer_t*>(w->retry), on_retry, 0, 0);
  }, 0, 0);
}

// A waitpid that sleeps until a child changes state: SIGCHLD wakes the sleepers while such calls
// wait (libuv's handler for it is installed meanwhile, as for child_process).
void watch_children(Registry& r, bool more) noexcept {
  if (more && r.sigchld_users++ == 0) {
    if (r.sigchld == nullptr) {
      r.sigchld = new uv_signal_t;
      uv_signal_init(r.loop, r.sigchld);
      r.sigchld->data = &r;
      uv_unref(reinterpret_cast<uv_handle_t*>(r.sigchld));  // the waiting calls hold the loop
    }
    uv_signal_start(r.sigchld, [](uv_signal_t* h, int) { wake_sleepers(*static_cast<Registry*>(h->data)); }, SIGCHLD);
  } else if (!more && --r.sigchld_users == 0) {
    uv_signal_stop(r.sigchld);
  }
}

uv_timer_s* new_timer(Registry& r, Waiter* w) noexcept {
  auto* t = new Timer{};
  t->registry = &r;
  t->waiter = w;
  uv_timer_init(r.loop, &t->handle);
  return reinterpret_cast<uv_timer_s*>(&t->handle);
}

// The error a call with reject_as rejects with: the TS layer's maker called as make(rc, code, fd);
// whatever it throws instead, if it throws. nullptr if no maker is set (the call resolves with rc).
napi_value make_error(Registry& r, const Waiter& w, long rc) noexcept {
  napi_value make = nullptr, args[3], error = nullptr;
  if (r.make_error == nullptr || napi_get_reference_value(r.env, r.make_error, &make) != napi_ok || make == nullptr) return nullptr;
  args[0] = from_long(r.env, rc);
  napi_create_uint32(r.env, w.reject_as, &args[1]);
  napi_create_int32(r.env, w.fd, &args[2]);
  napi_value global;
  napi_get_global(r.env, &global);
  if (napi_call_function(r.env, global, make, 3, args, &error) != napi_ok) {
    napi_get_and_clear_last_exception(r.env, &error);
  }
  return error;
}

// Settles a waiting call with `rc` and frees it. The caller then finishes its watcher.
void settle(Registry& r, Waiter* w, long rc) noexcept {
  if (rc >= 0 && w->hands_over_fd && w->watcher != nullptr && w->watcher->owned) {
    w->watcher->owned = false;  // the descriptor is the result: it outlives the watcher
    r.owned--;
  }
  if (w->wakes_on_sigchld) watch_children(r, false);
  unlink(w);
  if (w->id != 0) r.by_id.erase(w->id);
  napi_value error = rc < 0 && w->reject_as != 0 ? make_error(r, *w, rc) : nullptr;
  if (error != nullptr) napi_reject_deferred(r.env, w->deferred, error);
  else napi_resolve_deferred(r.env, w->deferred, from_long(r.env, rc));
  if (w->keep != nullptr) napi_delete_reference(r.env, w->keep);
  close_timers(r, w);
  hold(r, false);
  if (w->makes_room && rc >= 0) wake_sleepers(r);
  delete w;
}

void settle_all(Registry& r, Watcher& wt, long rc) noexcept {
  while (wt.in.head != nullptr) settle(r, wt.in.head, rc);
  while (wt.out.head != nullptr) settle(r, wt.out.head, rc);
}

// Closes a descriptor opened for a call (poll's set, a pidfd, a token), unless it was closed behind
// posix-ipc's back and its number given to something else meanwhile: another file, or the
// readiness set itself (epoll and eventfd descriptors all share one inode, hence the second test).
void close_owned(Registry& r, Watcher& wt) noexcept {
  sys::FileId now;
  if (wt.fd() != r.set && sys::file_id(wt.fd(), &now) == 0 && now == wt.file) sys::close(wt.fd());
}

// Removes a watcher with no calls left: out of the set (or, with `park`, its disarmed registration
// kept for the next call on that descriptor), its shadow and owned descriptor closed.
void drop(Registry& r, Watcher* wt, bool park = false) noexcept {
  if (wt->in_set) {
    if (park && wt->armed == 0 && !wt->owned) {
      r.parked.insert(wt->fd());
      if (wt->direct) r.direct_parked_armed = wt->maybe_armed;  // the slot stays its
      else if (wt->maybe_armed) r.armed_parked.insert(wt->fd());
    } else if (wt->direct && libuv_watches(r.loop, wt->fd())) {
      lost(r, *wt);  // a Node handle's now: not posix-ipc's to remove
    } else if (long rc = sys::ready_forget(instance_of(r, *wt), wt->fd()); rc < 0) {
      lost(r, *wt);  // the number names another file now, or none (or a regular file: EPERM)
    } else if (wt->direct) {
      vacate_direct(r);
    }
  }
  if (wt->owned) {
    close_owned(r, *wt);
    r.owned--;
  }
  r.watchers.erase(wt->fd());
  count_watchers(r);
  delete wt;
}

// After calls were attempted, settled or cancelled: re-arm for those left, or drop the watcher.
void finish(Registry& r, Watcher* wt) noexcept {
  if (!wt->in.empty() || !wt->out.empty()) {
    long rc = arm(r, *wt);
    if (rc == 0) return;
    // The registration is gone (ENOENT: the descriptor was closed behind posix-ipc's back).
    settle_all(r, *wt, rc == -ENOENT ? -EBADF : rc);
    drop(r, wt);
    return;
  }
  drop(r, wt, true);
}

// Puts the first call of its queue on its retry timer (readiness will not say when to try again).
void schedule_retry(Registry& r, Waiter* w) noexcept {
  w->sleeping = true;
  w->retry_ms = w->retry_ms == 0 ? 1 : (w->retry_ms >= w->retry_max_ms / 2 ? w->retry_max_ms : w->retry_ms * 2);
  if (w->retry == nullptr) w->retry = new_timer(r, w);
  r.sleepers.insert(w);
  uv_timer_start(reinterpret_cast<uv_timer_t*>(w->retry), on_retry, w->retry_ms, 0);
}

// Attempts the queue's calls in order until one must wait. Whether any settled or went to its
// retry timer (false: neither; a MSG_WAITALL recv may still have taken some bytes).
bool run(Registry& r, Watcher& wt, Queue& q) noexcept {
  bool moved = false;
  while (Waiter* w = q.head) {
    if (w->sleeping) return moved;  // its timer will run the queue
    w->woken = true;
    long rc = w->attempt(r.env, *w, wt.nowait);
    if (rc == -EAGAIN) return moved;  // not (or no longer) ready: the calls behind would not be either
    if (rc == kRetryLater) {
      schedule_retry(r, w);
      return true;
    }
    settle(r, w, rc);
    moved = true;
  }
  return moved;
}

// Callbacks from the loop settle promises inside a callback scope, so that their reactions (the
// awaiting code) run when the callback returns, as after any Node callback.
class Scope {
 public:
  explicit Scope(Registry& r) noexcept : env_(r.env) {
    napi_open_handle_scope(env_, &handles_);
    napi_value resource = nullptr;
    napi_get_reference_value(env_, r.resource, &resource);
    napi_open_callback_scope(env_, resource, r.async, &callback_);
  }
  ~Scope() {
    napi_close_callback_scope(env_, callback_);
    napi_close_handle_scope(env_, handles_);
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  napi_env env_;
  napi_handle_scope handles_ = nullptr;
  napi_callback_scope callback_ = nullptr;
};

void on_ready(uv_poll_t* handle, int status, int) {
  Registry& r = *static_cast<Registry*>(handle->data);
  if (status < 0) uv_poll_start(handle, UV_READABLE, on_ready);  // libuv stops a handle on error
  Scope scope(r);
  // With one watcher in the set, armed, and no other registration that may report (a parked one
  // left armed), the event is that watcher's: its calls are attempted before the set is read, which
  // saves that read (an epoll_wait) on each wakeup of a conversation on one descriptor. Its
  // registration, if it fired, stays on the set's ready list, armed, until the kernel next looks at
  // the set (libuv's epoll_wait does, every turn) and drops it as no longer ready, or until the
  // next wait re-arms it (MOD, which re-checks the file too); if it reports again meanwhile, the
  // loop below takes it as it takes any. If no call settles or goes to its timer, the set is read
  // as usual.
  if (status == 0 && r.watchers.size() == 1 && r.armed_parked.empty() && !r.stray && !r.watchers.begin()->second->direct) {
    Watcher* wt = r.watchers.begin()->second;
    unsigned ev = wt->armed;
    if (ev != 0) {
      wt->armed = 0;  // not known to be armed any more: the next wait re-arms it
      bool moved = (ev & POLLIN) && run(r, *wt, wt->in);
      if (ev & POLLOUT) moved = run(r, *wt, wt->out) || moved;
      if (moved) {
        wt->maybe_armed = true;  // its report, if it fired, was not read
        finish(r, wt);
        return;
      }
      // No call settled or went to its timer (a MSG_WAITALL recv may have taken some bytes): the
      // registration is as it was, and its report, if any, is for the loop below.
      wt->armed = ev;
    }
  }
  constexpr int kBatch = 64;
  sys::Ready ready[kBatch];
  for (int round = 0; round < 16; round++) {  // then let the loop run; it calls again if need be
    long n = sys::ready_take(r.set, ready, kBatch);
    for (long i = 0; i < n; i++) {
      auto it = r.watchers.find(ready[i].fd);
      if (it == r.watchers.end()) {
        r.armed_parked.erase(ready[i].fd);  // a parked registration's one report: it is disarmed now
        continue;
      }
      Watcher* wt = it->second;
      if (wt->direct) continue;  // a stray's report under that number (the direct one is not here)
      wt->armed = 0;
      wt->maybe_armed = false;
      unsigned ev = ready[i].events;
      if (ev & (POLLIN | POLLPRI | POLLRDHUP | POLLHUP | POLLERR)) run(r, *wt, wt->in);
      if (ev & (POLLOUT | POLLHUP | POLLERR)) run(r, *wt, wt->out);
      finish(r, wt);
    }
    if (n < kBatch) break;
  }
}

// The direct registration reported (libuv read it, so its one shot is spent): its calls are
// attempted, as the set's members' are when the set names them.
void on_direct(uv_poll_t* handle, int status, int) {
  Registry& r = *static_cast<Registry*>(handle->data);
  // libuv stops a handle that reports POLLERR (a socket with an error pending): start it again.
  if (status < 0) uv_poll_start(handle, UV_READABLE | UV_WRITABLE, on_direct);
  if (handle != r.direct_handle || r.direct < 0) return;  // a retired placeholder's stray, or a parked one's last
  auto it = r.watchers.find(r.direct);
  if (it == r.watchers.end()) {
    r.direct_parked_armed = false;  // the parked registration's one report: it is disarmed now
    return;
  }
  Watcher* wt = it->second;
  Scope scope(r);
  unsigned ev = wt->armed;
  wt->armed = 0;
  wt->maybe_armed = false;
  if (ev & POLLIN) run(r, *wt, wt->in);
  if (ev & POLLOUT) run(r, *wt, wt->out);
  finish(r, wt);
}

// Before each turn's epoll_wait, while a descriptor is registered directly: if a Node handle has
// started watching that number (libuv registers it in this turn's epoll_wait), the registration is
// Node's from now on (libuv adds its own, or takes this one over if it is the same file): the
// direct descriptor's calls move to the set, and the slot is free. (libuv runs prepare callbacks
// newest first, and this one is started anew with each direct registration: a watcher that an
// older prepare callback, an addon's, starts on the direct number is seen a turn later, after
// libuv's ADD took the registration over, and its calls move to the set then; meanwhile no
// epoll_ctl of posix-ipc's touches it, since each one checks libuv_watches first.)
void on_prepare(uv_prepare_t* handle) {
  Registry& r = *static_cast<Registry*>(handle->data);
  if (r.direct < 0 || !libuv_watches(r.loop, r.direct)) return;
  // Whether this registration is a stray (another file under the number, or the same file whose
  // handle stops before libuv's ADD takes the registration over) the kernel's listing tells, in
  // retire_placeholder.
  auto it = r.watchers.find(r.direct);
  if (it == r.watchers.end()) {  // parked
    forget_parked_direct(r);
    return;
  }
  Watcher* wt = it->second;
  lost(r, *wt);
  wt->in_set = false;
  long rc = arm(r, *wt);
  if (rc == 0) return;
  Scope scope(r);
  settle_all(r, *wt, rc);
  drop(r, wt);
}

void on_watchdog(uv_timer_t* handle) {
  Registry& r = *static_cast<Registry*>(handle->data);
  bool idle = r.direct_arms == r.watchdog_seen;
  r.watchdog_seen = r.direct_arms;
  if (!idle || r.direct < 0) return;
  auto it = r.watchers.find(r.direct);
  if (it == r.watchers.end()) {
    uv_timer_stop(handle);  // parked: its next arm starts the timer again (arm)
    return;
  }
  Watcher* wt = it->second;
  if (wt->armed == 0) return;
  long rc = rearm_direct(r, *wt, wt->armed);
  if (rc == 0 || rc == -EEXIST) return;  // EEXIST: a Node handle's now, on_prepare moves its calls
  // Gone, and the number names another file now (ENOENT), or none (EBADF): as at the next call on
  // it (still_same); or it could not be made again (ENOMEM, ENOSPC: as finish()).
  Scope scope(r);
  settle_all(r, *wt, rc == -ENOENT ? -EBADF : rc);
  drop(r, wt);
}

void on_timeout(uv_timer_t* handle) {
  Timer* t = reinterpret_cast<Timer*>(handle);
  Registry& r = *t->registry;
  Waiter* w = t->waiter;
  Watcher* wt = w->watcher;
  Scope scope(r);
  w->woken = true;
  long rc = w->attempt(r.env, *w, wt->nowait);
  settle(r, w, rc == -EAGAIN ? w->on_timeout : rc);
  finish(r, wt);
}

void on_retry(uv_timer_t* handle) {
  Timer* t = reinterpret_cast<Timer*>(handle);
  Registry& r = *t->registry;
  Waiter* w = t->waiter;  // still the first of its queue: a sleeping call is never overtaken
  Watcher* wt = w->watcher;
  w->sleeping = false;
  r.sleepers.erase(w);
  Scope scope(r);
  run(r, *wt, queue_of(*wt, w->events));
  finish(r, wt);
}

void on_recheck(uv_timer_t* handle) {
  Registry& r = *static_cast<Registry*>(handle->data);
  Scope scope(r);
  std::vector<Watcher*> sets;
  for (auto& entry : r.watchers) {
    if (entry.second->owned) sets.push_back(entry.second);
  }
  for (Watcher* wt : sets) {
    run(r, *wt, wt->in);
    finish(r, wt);
  }
}

// cancel(id) -> boolean
napi_value Cancel(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  Registry& r = registry(env);
  uint32_t id = 0;
  napi_get_value_uint32(env, a[0], &id);
  auto it = id == 0 ? r.by_id.end() : r.by_id.find(id);
  bool cancelled = false;
  if (it != r.by_id.end()) {
    Waiter* w = it->second;
    Watcher* wt = w->watcher;
    long rc = w->on_cancel != nullptr ? w->on_cancel(env, *w) : -ECANCELED;
    cancelled = rc == -ECANCELED;
    settle(r, w, rc);
    finish(r, wt);
  } else if (auto other = id == 0 ? r.others.end() : r.others.find(id); other != r.others.end()) {
    Other* call = other->second;
    r.others.erase(other);
    call->cancel(env, call);
    cancelled = true;
  }
  napi_value result;
  napi_get_boolean(env, cancelled, &result);
  return result;
}

// A waiting poll that lists a closed descriptor is not poll's failure: as in C, its entry will
// say POLLNVAL. Once the descriptor is closed (the caller closes it next), polls look again.
void recheck_polls(Registry& r) noexcept {
  if (r.owned == 0) return;
  if (r.recheck == nullptr) {
    r.recheck = new uv_timer_t;
    uv_timer_init(r.loop, r.recheck);
    r.recheck->data = &r;
  }
  uv_timer_start(r.recheck, on_recheck, 0, 0);
}

// On this env's thread, after posix-ipc's close in another thread: the calls waiting here on
// that descriptor (still naming the file that was closed) settle with -EBADF.
void on_closed(uv_async_t* handle) {
  Registry& r = *static_cast<Registry*>(handle->data);
  std::vector<std::pair<int, sys::FileId>> closed;
  {
    std::lock_guard<std::mutex> lock(threads().mutex);
    closed.swap(r.closed);
  }
  Scope scope(r);
  for (const auto& [fd, file] : closed) {
    auto it = r.watchers.find(fd);
    if (it == r.watchers.end() || it->second->owned) continue;
    Watcher* wt = it->second;
    bool gone = wt->in_set ? !still_same(r, *wt) : wt->has_file && wt->file == file;
    if (!gone) continue;  // a watcher of the file that took the number since
    settle_all(r, *it->second, -EBADF);
    drop(r, it->second);
  }
  recheck_polls(r);
}

// rejectWith(make): sets the function that builds what calls with reject_as reject with.
napi_value RejectWith(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  Registry& r = registry(env);
  napi_valuetype type = napi_undefined;
  napi_typeof(env, a[0], &type);
  if (type != napi_function) return nullptr;
  if (r.make_error != nullptr) napi_delete_reference(env, r.make_error);
  napi_create_reference(env, a[0], 1, &r.make_error);
  return nullptr;
}

// closing(fd): the descriptor is about to be closed (by posix-ipc's close, in this thread): every
// call of this env waiting on it settles with -EBADF, and it leaves the set while it is still
// open. (Other envs hear of it from the native close: closed_elsewhere.)
napi_value Closing(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  Registry& r = registry(env);
  int fd = to_i32(env, a[0]);
  // In a child made by fork(), the sets are the parent's (an epoll instance is shared across
  // fork, keyed by open file): the child's close of its copy of a pipe end must not take the
  // parent's registration out. Its copies of the waiting calls are the parent's too: leave them
  // alone.
  if (::getpid() != threads().pid) return nullptr;
  if (r.parked.erase(fd) != 0) {
    bool direct = fd == r.direct;
    long rc = direct && libuv_watches(r.loop, fd) ? -EEXIST : sys::ready_forget(direct ? uv_backend_fd(r.loop) : r.set, fd);
    // Refused: the parked registration is another file's (the number was closed behind
    // posix-ipc's back and reused), and if it may still report, a stray.
    if (direct) {
      bool may_report = r.direct_parked_armed && rc < 0;
      vacate_direct(r);
      if (may_report) retire_placeholder(r);
    } else if (r.armed_parked.erase(fd) != 0 && rc < 0) {
      r.stray = true;
    }
  }
  auto it = r.watchers.find(fd);
  if (it != r.watchers.end()) {
    Watcher* wt = it->second;
    settle_all(r, *wt, -EBADF);
    if (wt->owned) {  // the caller is closing it
      wt->owned = false;
      r.owned--;
    }
    drop(r, wt);
  }
  recheck_polls(r);
  return nullptr;
}

// Frees one call when the env goes away. Its promise can no longer settle (no JavaScript runs).
void abandon(Registry& r, Waiter* w) noexcept {
  if (w->wakes_on_sigchld) watch_children(r, false);
  unlink(w);
  if (w->keep != nullptr) napi_delete_reference(r.env, w->keep);
  close_timers(r, w);
  delete w;
}

// The last step of Cleanup: once every loop handle has closed and no other call (threadpool
// work) is pending, close the set, say cleanup is done and free the registry.
void finish_cleanup(Registry* r) noexcept {
  if (r->handles != 0 || r->other_count != 0) return;
  if (r->set >= 0) sys::close(r->set);
  if (r->placeholder >= 0) sys::close(r->placeholder);
  for (const auto& [fd, handle] : r->retired) sys::close(fd);
  napi_remove_async_cleanup_hook(r->cleanup);
  delete r;
}

// One of the env's loop handles has closed.
void release(Registry* reg) noexcept {
  if (--reg->handles > 0) return;
  finish_cleanup(reg);
}

// Closes one of the env's loop handles at cleanup; the registry goes after the last (release).
template <typename Handle>
void close_counted(Registry* r, Handle* h) noexcept {
  h->data = r;
  uv_close(reinterpret_cast<uv_handle_t*>(h), [](uv_handle_t* closed) {
    auto* reg = static_cast<Registry*>(closed->data);
    delete reinterpret_cast<Handle*>(closed);
    release(reg);
  });
}

// The env is going away (its thread ends, or the process exits normally): close the loop handles,
// then the set, and only then say cleanup is done, since uv_close completes in a later loop turn.
void Cleanup(napi_async_cleanup_hook_handle, void* arg) {
  auto* r = static_cast<Registry*>(arg);
  {
    // Out of the other envs' sight first: none can post to it once this returns.
    Threads& t = threads();
    std::lock_guard<std::mutex> lock(t.mutex);
    for (std::size_t i = 0; i < t.all.size(); i++) {
      if (t.all[i] == r) {
        t.all.erase(t.all.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
    }
    __atomic_store_n(&t.watchers, t.watchers - r->counted, __ATOMIC_RELAXED);
    r->counted = 0;
    for (Registry* each : t.all) __atomic_store_n(each->watched, t.watchers, __ATOMIC_RELAXED);
  }
  for (auto& entry : r->watchers) {
    Watcher* wt = entry.second;
    while (wt->in.head != nullptr) abandon(*r, wt->in.head);
    while (wt->out.head != nullptr) abandon(*r, wt->out.head);
    if (wt->owned) close_owned(*r, *wt);
    delete wt;
  }
  r->watchers.clear();
  r->by_id.clear();
  r->others.clear();  // their work finishes in the threadpool; end() counts them down
  r->closing = true;
  for (uv_timer_t* t : {r->recheck, r->wake}) {
    if (t != nullptr) uv_close(reinterpret_cast<uv_handle_t*>(t), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  }
  if (r->sigchld != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(r->sigchld), [](uv_handle_t* h) { delete reinterpret_cast<uv_signal_t*>(h); });
  }
  napi_async_destroy(r->env, r->async);
  napi_delete_reference(r->env, r->resource);
  if (r->make_error != nullptr) napi_delete_reference(r->env, r->make_error);
  // The direct registration leaves libuv's instance, which lives on: its reports would name a
  // number that may soon be another's.
  if (r->direct >= 0 && !libuv_watches(r->loop, r->direct)) sys::ready_forget(uv_backend_fd(r->loop), r->direct);
  r->direct = -1;
  if (r->direct_handle != nullptr) r->retired.emplace_back(r->placeholder, r->direct_handle);
  r->placeholder = -1;
  r->direct_handle = nullptr;
  r->handles = 1 + (r->handle != nullptr) + static_cast<int>(r->retired.size()) + (r->prepare != nullptr) + (r->watchdog != nullptr);
  if (r->watchdog != nullptr) close_counted(r, r->watchdog);
  if (r->prepare != nullptr) close_counted(r, r->prepare);
  for (const auto& [fd, handle] : r->retired) close_counted(r, handle);
  close_counted(r, r->closed_async);
  if (r->handle != nullptr) close_counted(r, r->handle);
}

}  // namespace

napi_value Waiter::kept(napi_env env) const noexcept {
  napi_value v = keep_now;
  if (v == nullptr && keep != nullptr) napi_get_reference_value(env, keep, &v);
  return v;
}

Bytes Waiter::bytes(napi_env env) const noexcept {
  napi_value v = kept(env);
  return v == nullptr ? Bytes{} : to_bytes(env, v);
}

bool waiting_elsewhere(napi_env env, int fd, sys::FileId* file) noexcept {
  Threads& t = threads();
  if (__atomic_load_n(&t.watchers, __ATOMIC_RELAXED) == registry(env).counted) return false;
  // A child made by fork() has only this thread: the other envs' loops are the parent's.
  if (::getpid() != t.pid) return false;
  return sys::file_id(fd, file) == 0;
}

void closed_elsewhere(napi_env env, int fd, const sys::FileId& file) noexcept {
  Registry& r = registry(env);
  Threads& t = threads();
  std::lock_guard<std::mutex> lock(t.mutex);
  for (Registry* other : t.all) {
    if (other == &r || other->counted == 0) continue;
    other->closed.emplace_back(fd, file);
    uv_async_send(other->closed_async);
  }
}

void wake(napi_env env) {
  wake_sleepers(registry(env));
}

void begin(napi_env env, Other* call) {
  Registry& r = registry(env);
  r.other_count++;
  if (call->id != 0) r.others[call->id] = call;
}

bool end(napi_env env, Other* call) {
  Registry& r = registry(env);
  if (call->id != 0) {
    auto it = r.others.find(call->id);
    if (it != r.others.end() && it->second == call) r.others.erase(it);
  }
  r.other_count--;
  if (!r.closing) return true;
  finish_cleanup(&r);  // frees r once nothing else is pending
  return false;
}

napi_value start(napi_env env, const Waiter& call, napi_value keep, bool attempt_now) {
  Registry& r = registry(env);
  auto found = r.watchers.find(call.fd);
  Watcher* wt = found == r.watchers.end() ? nullptr : found->second;
  if (wt != nullptr && !wt->owned && !still_same(r, *wt)) {
    // The descriptor was closed behind posix-ipc's back (fs.closeSync...) and its number reused:
    // the calls that waited on the old file fail as if close() had told them.
    settle_all(r, *wt, -EBADF);
    drop(r, wt);
    wt = nullptr;
  }
  Waiter now = call;  // the call as the attempts made here see it: its buffer is `keep`
  now.keep_now = keep;
  sys::Nowait fresh(call.fd);
  auto settled = [&](long rc) {
    if (call.owns_fd && !(call.hands_over_fd && rc >= 0)) sys::close(call.fd);
    if (call.makes_room && rc >= 0) wake_sleepers(r);
    return from_long(env, rc);
  };

  bool retry_later = false;
  if (attempt_now && (wt == nullptr || queue_of(*wt, call.events).empty())) {
    long rc = call.attempt(env, now, wt ? wt->nowait : fresh);
    if (rc != -EAGAIN && rc != kRetryLater) return settled(rc);
    retry_later = rc == kRetryLater;
  }
  long rc = ensure_set(r);
  if (rc < 0) return settled(rc);
  bool created = wt == nullptr;
  bool reused = false;  // the descriptor's registration was parked in the set
  if (created) {
    wt = new Watcher(static_cast<sys::Nowait&&>(fresh));
    reused = wt->in_set = r.parked.erase(call.fd) != 0;
    if (reused) {
      wt->direct = call.fd == r.direct;
      wt->maybe_armed = wt->direct ? r.direct_parked_armed : r.armed_parked.erase(call.fd) != 0;
    }
    wt->owned = call.owns_fd;
    if (call.owns_fd) wt->has_file = sys::file_id(call.fd, &wt->file) == 0;
    r.owned += call.owns_fd;
    r.watchers.emplace(call.fd, wt);
    count_watchers(r);
  }
  auto* w = new Waiter(now);  // with what the first attempt left in it (a connect under way...)
  w->keep_now = nullptr;
  w->sleeping = retry_later;
  link(*wt, w);
  // A call that starts on its retry timer arms nothing, so a parked registration it inherits is
  // checked here: the number may name another file by now (closed by posix-ipc while no call
  // waited, which does not tell the set), and the next arm must then add one, not re-arm.
  if (reused && w->sleeping && !still_same(r, *wt)) {
    lost(r, *wt);
    wt->in_set = false;
  }
  rc = arm(r, *wt);
  if (rc == -ENOENT && reused) {  // the number names another file now: register that one
    lost(r, *wt);
    wt->in_set = false;
    rc = arm(r, *wt);
  }
  if (rc < 0) {
    unlink(w);
    delete w;
    if (rc == -EPERM && created) {
      // epoll refuses regular files (and the like): they are always ready, so the plain call now.
      wt->nowait.always_ready();
      rc = call.attempt(env, now, wt->nowait);
      if (rc >= 0 && call.hands_over_fd && wt->owned) {  // the descriptor is the result (as settle)
        wt->owned = false;
        r.owned--;
      }
    } else {
      // The registration is gone (ENOENT: the descriptor was closed behind posix-ipc's back):
      // the calls already waiting on it share this one's fate.
      if (rc == -ENOENT) rc = -EBADF;
      settle_all(r, *wt, rc);
    }
    if (wt->in.empty() && wt->out.empty()) drop(r, wt);  // closes an owned descriptor
    return from_long(env, rc);
  }

  if (!wt->in_set && !wt->has_file) wt->has_file = sys::file_id(call.fd, &wt->file) == 0;  // see still_same

  napi_value promise;
  napi_create_promise(env, &w->deferred, &promise);
  if (keep != nullptr) napi_create_reference(env, keep, 1, &w->keep);
  if (w->id != 0) r.by_id[w->id] = w;
  if (w->timeout > 0) {
    w->timer = new_timer(r, w);
    uv_timer_start(reinterpret_cast<uv_timer_t*>(w->timer), on_timeout, static_cast<uint64_t>(w->timeout), 0);
  }
  if (w->wakes_on_sigchld) watch_children(r, true);
  if (w->sleeping) schedule_retry(r, w);
  hold(r, true);
  return promise;
}

napi_value promises(napi_env env, napi_value exports) {
  napi_value obj;
  napi_valuetype type = napi_undefined;
  if (napi_get_named_property(env, exports, "promises", &obj) == napi_ok) napi_typeof(env, obj, &type);
  if (type != napi_object) {
    napi_create_object(env, &obj);
    napi_set_named_property(env, exports, "promises", obj);
  }
  return obj;
}

void register_wait(napi_env env, napi_value exports) {
  auto* r = new Registry();
  r->env = env;
  napi_get_uv_event_loop(env, &r->loop);
  r->direct_allowed = !io_uring_in_use();
  instance(env)->wait = r;

  napi_value obj = promises(env, exports);
  napi_value buffer, watched;
  void* data = nullptr;
  napi_create_arraybuffer(env, sizeof(int32_t), &data, &buffer);
  napi_create_typedarray(env, napi_int32_array, 1, buffer, 0, &watched);
  r->watched = static_cast<int32_t*>(data);
  r->closed_async = new uv_async_t;
  uv_async_init(r->loop, r->closed_async, on_closed);  // cannot fail on Linux
  r->closed_async->data = r;
  uv_unref(reinterpret_cast<uv_handle_t*>(r->closed_async));
  {
    Threads& t = threads();
    std::lock_guard<std::mutex> lock(t.mutex);
    if (t.pid == 0) t.pid = ::getpid();
    t.all.push_back(r);
    *r->watched = t.watchers;
  }
  napi_set_named_property(env, obj, "watched", watched);
  define(env, obj, "cancel", Cancel);
  define(env, obj, "closing", Closing);
  define(env, obj, "rejectWith", RejectWith);

  // The promises object lives as long as the env: it holds `watched`'s memory, and it is the
  // resource of the callback scopes.
  napi_create_reference(env, obj, 1, &r->resource);
  napi_value name;
  napi_create_string_utf8(env, "posix-ipc:promises", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, obj, name, &r->async);
  napi_add_async_cleanup_hook(env, Cleanup, r, &r->cleanup);
}

}  // namespace wait
}  // namespace napi_glue
