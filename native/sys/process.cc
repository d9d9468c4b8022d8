#include "process.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#if PIPC_LINUX
#include <dirent.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#endif
#if defined(__APPLE__)
#include <pthread.h>
#endif
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

extern char** environ;

// The child of spawnp() runs on a stack of its own, which AddressSanitizer does not know: keep
// its instrumentation (stack bookkeeping before a noreturn call) out of the child's own frames.
#if defined(__SANITIZE_ADDRESS__)
#define PIPC_CHILD_NO_ASAN __attribute__((no_sanitize_address))
#else
#define PIPC_CHILD_NO_ASAN
#endif

namespace sys {

long fork() noexcept {
  return once([] { return ::fork(); });
}

// --- MADV_DONTFORK ranges ---------------------------------------------------------------------

DontforkRanges::~DontforkRanges() { std::free(data_); }

bool DontforkRanges::add(std::uintptr_t start, std::uintptr_t end) noexcept {
  if (size_ > 0 && data_[size_ - 1].end == start) {  // adjacent: one madvise covers both
    data_[size_ - 1].end = end;
    return true;
  }
  if (size_ == capacity_) {
    std::size_t cap = capacity_ ? capacity_ * 2 : 64;
    auto* grown = static_cast<Range*>(std::realloc(data_, cap * sizeof(Range)));
    if (grown == nullptr) return false;
    data_ = grown;
    capacity_ = cap;
  }
  data_[size_++] = Range{start, end};
  return true;
}

std::size_t DontforkRanges::bytes() const noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < size_; i++) n += data_[i].end - data_[i].start;
  return n;
}

namespace {

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses a hex number at *p, advancing past it; false when there is none.
bool parse_hex(const char*& p, std::uintptr_t* out) noexcept {
  std::uintptr_t v = 0;
  const char* start = p;
  for (int d; (d = hex_digit(*p)) >= 0; p++) v = v * 16 + static_cast<std::uintptr_t>(d);
  *out = v;
  return p != start;
}

// A mapping's first line in smaps: "7f12a000-7f12b000 rw-p 00000000 00:00 0   [path]".
// Field lines ("AnonHugePages:   0 kB") never have "hex-hex " at their start.
bool parse_header(const char* line, std::uintptr_t* start, std::uintptr_t* end) noexcept {
  const char* p = line;
  std::uintptr_t s, e;
  if (!parse_hex(p, &s) || *p++ != '-' || !parse_hex(p, &e) || *p != ' ') return false;
  *start = s;
  *end = e;
  return true;
}

// "VmFlags: rd wr mr mw me dc ac sd": does the list hold "dc" (VM_DONTCOPY, set by MADV_DONTFORK)?
bool has_dc_flag(const char* line) noexcept {
  const char* p = line + std::strlen("VmFlags:");
  while (*p) {
    while (*p == ' ') p++;
    if (p[0] == 'd' && p[1] == 'c' && (p[2] == ' ' || p[2] == '\0')) return true;
    while (*p && *p != ' ') p++;
  }
  return false;
}

}  // namespace

long DontforkRanges::collect(const char* smaps_path) noexcept {
  size_ = 0;
  int fd = static_cast<int>(retry(Eintr::retry, [&] { return ::open(smaps_path, O_RDONLY | O_CLOEXEC); }));
  if (fd < 0) return fd;
  char buf[16384];
  std::size_t have = 0;  // an unfinished line kept at the start of buf
  std::uintptr_t start = 0, end = 0;
  long rc = 0;
  for (;;) {
    long n = retry(Eintr::retry, [&] { return ::read(fd, buf + have, sizeof buf - 1 - have); });
    if (n < 0) {
      rc = n;
      break;
    }
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
    char* line = buf;
    char* stop = buf + have;
    for (char* nl; (nl = static_cast<char*>(std::memchr(line, '\n', stop - line))) != nullptr; line = nl + 1) {
      *nl = '\0';
      if (std::strncmp(line, "VmFlags:", 8) == 0) {
        if (has_dc_flag(line) && end > start && !add(start, end)) {
          rc = -ENOMEM;
          break;
        }
      } else {
        parse_header(line, &start, &end);
      }
    }
    if (rc < 0) break;
    have = static_cast<std::size_t>(stop - line);
    if (have == sizeof buf - 1) have = 0;  // no line is this long in smaps; drop it
    std::memmove(buf, line, have);
  }
  ::close(fd);
  if (rc < 0) size_ = 0;
  return rc;
}

std::size_t DontforkRanges::allow_fork() noexcept {
  std::size_t ok = 0;
#ifdef MADV_DOFORK
  for (std::size_t i = 0; i < size_; i++) {
    if (::madvise(reinterpret_cast<void*>(data_[i].start), data_[i].end - data_[i].start, MADV_DOFORK) == 0) ok++;
  }
#endif
  return ok;
}

void DontforkRanges::restore() noexcept {
#ifdef MADV_DONTFORK
  // A range unmapped meanwhile (a heap page released by another thread) fails with ENOMEM for
  // its hole and is otherwise marked again; nothing to do about either.
  for (std::size_t i = 0; i < size_; i++) {
    ::madvise(reinterpret_cast<void*>(data_[i].start), data_[i].end - data_[i].start, MADV_DONTFORK);
  }
#endif
}

long allow_fork_everywhere(const char* maps_path) noexcept {
#ifdef MADV_DOFORK
  int fd = static_cast<int>(retry(Eintr::retry, [&] { return ::open(maps_path, O_RDONLY | O_CLOEXEC); }));
  if (fd < 0) return fd;
  char buf[16384];
  std::size_t have = 0;
  std::uintptr_t run_start = 0, run_end = 0;  // adjacent mappings: one madvise for the run
  long runs = 0;
  auto flush = [&] {
    if (run_end > run_start) {
      ::madvise(reinterpret_cast<void*>(run_start), run_end - run_start, MADV_DOFORK);
      runs++;
    }
    run_start = run_end = 0;
  };
  long rc = 0;
  for (;;) {
    long n = retry(Eintr::retry, [&] { return ::read(fd, buf + have, sizeof buf - 1 - have); });
    if (n <= 0) {
      rc = n;
      break;
    }
    have += static_cast<std::size_t>(n);
    char* line = buf;
    char* stop = buf + have;
    for (char* nl; (nl = static_cast<char*>(std::memchr(line, '\n', stop - line))) != nullptr; line = nl + 1) {
      *nl = '\0';
      std::uintptr_t start, end;
      if (!parse_header(line, &start, &end)) continue;
      // Kernel mappings ([vvar], [vdso], [vsyscall]) and shared ones refuse or ignore the
      // advice; keep them out of the runs so one refusal does not end a run's walk early.
      const char* perms = std::strchr(line, ' ');
      bool special = std::strchr(line, '[') != nullptr && std::strstr(line, "[heap]") == nullptr &&
                     std::strstr(line, "[stack") == nullptr && std::strstr(line, "[anon") == nullptr;
      bool shared = perms != nullptr && perms[4] == 's';
      if (special || shared) {
        flush();
        continue;
      }
      if (start != run_end) flush();
      if (run_end == 0) run_start = start;
      run_end = end;
    }
    have = static_cast<std::size_t>(stop - line);
    if (have == sizeof buf - 1) have = 0;
    std::memmove(buf, line, have);
  }
  flush();
  ::close(fd);
  return rc < 0 ? rc : runs;
#else
  return 0;
#endif
}

ThreadsAsleep wait_until_other_threads_sleep(long max_us) noexcept {
#if PIPC_LINUX
  long self = ::syscall(SYS_gettid);
  timespec start;
  ::clock_gettime(CLOCK_MONOTONIC, &start);
  bool waited_at_all = false;
  for (;;) {
    bool busy = false;
    DIR* dir = ::opendir("/proc/self/task");
    if (dir == nullptr) return ThreadsAsleep::timed_out;
    for (dirent* e; !busy && (e = ::readdir(dir)) != nullptr;) {
      long tid = std::strtol(e->d_name, nullptr, 10);
      if (tid <= 0 || tid == self) continue;
      char path[64], stat[512];
      std::snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
      int fd = ::open(path, O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;  // the thread just ended
      long n = retry(Eintr::retry, [&] { return ::read(fd, stat, sizeof stat - 1); });
      ::close(fd);
      if (n <= 0) continue;
      stat[n] = '\0';
      const char* paren = std::strrchr(stat, ')');  // "tid (name) S ..."
      busy = paren != nullptr && (paren[2] == 'R' || paren[2] == 'D');
    }
    ::closedir(dir);
    if (!busy) return waited_at_all ? ThreadsAsleep::after_waiting : ThreadsAsleep::already;
    timespec now;
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    long waited = (now.tv_sec - start.tv_sec) * 1000000 + (now.tv_nsec - start.tv_nsec) / 1000;
    if (waited >= max_us) return ThreadsAsleep::timed_out;
    waited_at_all = true;
    timespec pause{0, 50 * 1000};
    ::nanosleep(&pause, nullptr);
  }
#else
  (void)max_us;
  return ThreadsAsleep::already;
#endif
}

long fork_keeping_memory(void (*before_fork)(void*), void* arg, std::size_t* ranges) noexcept {
  // What carries MADV_DONTFORK now: the set to put back in the parent afterwards.
  DontforkRanges r;
  long rc = r.collect();
  if (rc < 0) return rc;
  // Then, in rounds: the caller's last word before the fork (Node: let V8 serve a pending GC
  // request here, in the parent, rather than leave it to a child without V8's helper threads);
  // all memory made copyable, since the hook may have mapped more (reading /proc/self/maps takes
  // far less time than smaps); and the other threads given time to fall asleep. A helper thread
  // caught in the middle of a task would be a ghost in the child: V8 waits for such "active"
  // workers before it finishes a collection, forever. If they had to be waited for, they may
  // have asked for a GC as they finished: another round serves it.
  for (int round = 0; round < 3; round++) {
    if (before_fork != nullptr) before_fork(arg);
    if (allow_fork_everywhere() < 0) r.allow_fork();
    if (wait_until_other_threads_sleep(50 * 1000) == ThreadsAsleep::already) break;
  }
  long pid = fork();
  // The parent (or a failed fork) gets its flags back. Memory mapped by the hook is left
  // copyable: a few pages a fork then copies, no harm.
  if (pid != 0) r.restore();
  if (ranges) *ranges = r.size();
  return pid;
}

bool is_main_thread() noexcept {
#if PIPC_LINUX
  return ::syscall(SYS_gettid) == ::getpid();
#elif defined(__APPLE__)
  return pthread_main_np() != 0;
#else
  return true;
#endif
}

void exit_now(int status) noexcept { ::_exit(status); }

// --- wait, ids, signals -----------------------------------------------------------------------

long waitpid(pid_t pid, int* status, int options, Eintr eintr) noexcept {
  return retry(eintr, [&] { return ::waitpid(pid, status, options); });
}

WaitStatus decode_status(int status) noexcept {
  if (WIFEXITED(status)) return {WaitStatus::exited, WEXITSTATUS(status), false};
  if (WIFSIGNALED(status)) {
#ifdef WCOREDUMP
    bool core = WCOREDUMP(status);
#else
    bool core = false;
#endif
    return {WaitStatus::signaled, WTERMSIG(status), core};
  }
  if (WIFSTOPPED(status)) return {WaitStatus::stopped, WSTOPSIG(status), false};
#ifdef WIFCONTINUED
  if (WIFCONTINUED(status)) return {WaitStatus::continued, 0, false};
#endif
  return {WaitStatus::unknown, status, false};
}

long getpid() noexcept { return ::getpid(); }
long getppid() noexcept { return ::getppid(); }

long kill(pid_t pid, int sig) noexcept {
  return once([&] { return ::kill(pid, sig); });
}

// --- exec -------------------------------------------------------------------------------------

void exec_reset(ExecSaved* saved) noexcept {
  // Block everything while the dispositions change, so no handler of this process runs halfway.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, saved ? &saved->mask : nullptr);
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int sig = 1; sig < NSIG; sig++) {
    // SIGKILL/SIGSTOP cannot change; libc refuses its own (glibc: 32, 33) with EINVAL.
    if (sig == SIGKILL || sig == SIGSTOP) {
      if (saved) saved->had[sig] = false;
      continue;
    }
    int r = ::sigaction(sig, &dfl, saved ? &saved->actions[sig] : nullptr);
    if (saved) saved->had[sig] = r == 0;
  }
  // Node marks fds 0-2 FD_CLOEXEC (uv_disable_stdio_inheritance) and makes a piped stdout
  // O_NONBLOCK; a program started by a shell has neither. O_NONBLOCK belongs to the open file
  // description, shared with whoever else holds it (libuv's own spawn clears it the same way).
  for (int fd = 0; fd < 3; fd++) {
    int fdf = ::fcntl(fd, F_GETFD);
    int stf = fdf < 0 ? -1 : ::fcntl(fd, F_GETFL);
    if (saved) {
      saved->fd_flags[fd] = fdf;
      saved->status_flags[fd] = stf;
    }
    if (fdf < 0) continue;
    if (fdf & FD_CLOEXEC) ::fcntl(fd, F_SETFD, fdf & ~FD_CLOEXEC);
    if (stf >= 0 && (stf & O_NONBLOCK)) ::fcntl(fd, F_SETFL, stf & ~O_NONBLOCK);
  }
  // Last: an empty mask. A signal pending now arrives with its default action, as it would a
  // moment later in the new program.
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, nullptr);
}

void exec_restore(const ExecSaved& saved) noexcept {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  for (int fd = 0; fd < 3; fd++) {
    if (saved.fd_flags[fd] < 0) continue;
    ::fcntl(fd, F_SETFD, saved.fd_flags[fd]);
    if (saved.status_flags[fd] >= 0) ::fcntl(fd, F_SETFL, saved.status_flags[fd]);
  }
  for (int sig = 1; sig < NSIG; sig++) {
    if (saved.had[sig]) ::sigaction(sig, &saved.actions[sig], nullptr);
  }
  // A SIGCHLD that arrived while its disposition was SIG_DFL was discarded. If this process
  // handles SIGCHLD (Node does once child_process is used), send one: a spurious SIGCHLD only
  // makes the handler look for exited children, a lost one could leave one unreaped.
  const struct sigaction& chld = saved.actions[SIGCHLD];
  bool handled = (chld.sa_flags & SA_SIGINFO) || (chld.sa_handler != SIG_DFL && chld.sa_handler != SIG_IGN);
  if (saved.had[SIGCHLD] && handled) ::kill(::getpid(), SIGCHLD);
  pthread_sigmask(SIG_SETMASK, &saved.mask, nullptr);
}

long execvp(const char* file, char* const argv[]) noexcept {
  ExecSaved saved;
  exec_reset(&saved);
  ::execvp(file, argv);
  int e = errno;
  exec_restore(saved);
  return -e;
}

// --- posix_spawnp -----------------------------------------------------------------------------

namespace {

// What the child writes to the error pipe when a step fails (12 bytes: one atomic write).
struct SpawnReport {
  int step;
  int index;
  int error;
};

struct SpawnArgs {
  const char* file;
  char* const* argv;
  const SpawnActions* actions;
  char* const* envp;
  int report_fd;
};

[[noreturn]] PIPC_CHILD_NO_ASAN void child_fail(int fd, SpawnFailure::Step step, int index, int error) noexcept {
  SpawnReport r{step, index, error};
  while (::write(fd, &r, sizeof r) < 0 && errno == EINTR) {
  }
  ::_exit(127);
}

// The child of spawnp(). With clone(CLONE_VM | CLONE_VFORK) it shares the parent's memory until
// the exec: it writes nothing but its own stack, calls nothing that allocates, and runs with every
// signal blocked until exec_reset() has put every disposition back to SIG_DFL, so no handler of
// the parent can run in it.
PIPC_CHILD_NO_ASAN int spawn_child(void* p) noexcept {
  const SpawnArgs& s = *static_cast<const SpawnArgs*>(p);
  const SpawnActions& a = *s.actions;
  int report = s.report_fd;

  // Keep the error pipe clear of every descriptor the actions name, so no action can close or
  // replace it (and no action can reach it by naming its number).
  int highest = 2;
  for (std::size_t i = 0; i < 2 * a.dup2_pairs; i++) highest = a.dup2[i] > highest ? a.dup2[i] : highest;
  for (std::size_t i = 0; i < a.close_count; i++) highest = a.close[i] > highest ? a.close[i] : highest;
  if (report <= highest) {
    int moved = ::fcntl(report, F_DUPFD_CLOEXEC, highest + 1);
    if (moved < 0) child_fail(report, SpawnFailure::start, -1, errno);
    ::close(report);
    report = moved;
  }

  for (std::size_t i = 0; i < a.dup2_pairs; i++) {
    int from = a.dup2[2 * i], to = a.dup2[2 * i + 1];
    if (from == to) {
      // dup2(fd, fd) changes nothing in C; as a spawn action it means "inherit fd" (POSIX 2024,
      // glibc): clear FD_CLOEXEC.
      int f = ::fcntl(from, F_GETFD);
      if (f < 0 || ::fcntl(from, F_SETFD, f & ~FD_CLOEXEC) < 0) child_fail(report, SpawnFailure::dup2, static_cast<int>(i), errno);
      continue;
    }
    if (from == report) child_fail(report, SpawnFailure::dup2, static_cast<int>(i), EBADF);
    while (::dup2(from, to) < 0) {
      if (errno != EINTR) child_fail(report, SpawnFailure::dup2, static_cast<int>(i), errno);
    }
  }
  for (std::size_t i = 0; i < a.close_count; i++) {
    // As in glibc's posix_spawn, closing a descriptor that is not open is no error.
    if (::close(a.close[i]) < 0 && errno != EBADF && errno != EINTR) {
      child_fail(report, SpawnFailure::close, static_cast<int>(i), errno);
    }
  }
  if (a.chdir != nullptr && ::chdir(a.chdir) < 0) child_fail(report, SpawnFailure::chdir, -1, errno);
  if (a.setsid && ::setsid() < 0) child_fail(report, SpawnFailure::setsid, -1, errno);

  exec_reset(nullptr);
#if PIPC_LINUX
  ::execvpe(s.file, s.argv, s.envp);
#else
  environ = const_cast<char**>(s.envp);  // a forked child: its own copy of environ
  ::execvp(s.file, s.argv);
#endif
  // Reached only when the exec failed; exec_reset() unblocked signals, so block them again: the
  // memory is still the parent's.
  int e = errno;
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  child_fail(report, SpawnFailure::exec, -1, e);
}

}  // namespace

long spawnp(const char* file, char* const argv[], const SpawnActions& actions, SpawnFailure* failure) noexcept {
  SpawnFailure ignored;
  SpawnFailure& where = failure ? *failure : ignored;
  where = SpawnFailure{};
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) {
    where.step = SpawnFailure::start;
    return -errno;
  }
  SpawnArgs args{file, argv, &actions, actions.envp ? actions.envp : environ, fds[1]};

  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
#if PIPC_LINUX
  // The child's stack: room for execvp's PATH buffer and, for a script without #!, the copy of
  // argv it makes on the stack (glibc sizes its posix_spawn stack the same way).
  std::size_t argc = 0;
  while (argv[argc] != nullptr) argc++;
  long page = ::sysconf(_SC_PAGESIZE);
  std::size_t size = 256 * 1024 + (argc + 3) * sizeof(char*);
  size = (size + page - 1) / page * page;
  void* stack = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  long pid;
  int clone_error = 0;
  if (stack == MAP_FAILED) {
    pid = -1;
    clone_error = errno;
  } else {
    // CLONE_VM | CLONE_VFORK: no copy of the parent's page tables (fast whatever the heap size),
    // and this thread waits until the child has exec'd or exited.
    pid = ::clone(spawn_child, static_cast<char*>(stack) + size, CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
    if (pid < 0) clone_error = errno;
#if defined(__SANITIZE_ADDRESS__)
    __asan_unpoison_memory_region(stack, size);  // the child's frames never returned
#endif
    ::munmap(stack, size);
  }
#else
  long pid = ::fork();
  int clone_error = pid < 0 ? errno : 0;
  if (pid == 0) spawn_child(&args);
#endif
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    where.step = SpawnFailure::start;
    return -clone_error;
  }
  SpawnReport report;
  long n = retry(Eintr::retry, [&] { return ::read(fds[0], &report, sizeof report); });
  ::close(fds[0]);
  if (n != static_cast<long>(sizeof report)) return pid;  // end of file: the exec closed the pipe
  int status;
  waitpid(static_cast<pid_t>(pid), &status, 0);  // the failed child exited with 127: reap it
  where.step = static_cast<SpawnFailure::Step>(report.step);
  where.index = report.index;
  return -report.error;
}

}  // namespace sys
