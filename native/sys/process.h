// Processes (lecture order 3): fork, _exit, waitpid, execvp, posix_spawnp, getpid, getppid, kill.
//
// Two ways to start a program live here:
// - fork_keeping_memory() + execvp(): the lectures' fork-then-exec, for a child that runs code of
//   the caller (in Node: JavaScript) before it execs. The caller's memory may carry
//   MADV_DONTFORK (Node's V8 heap does); fork_keeping_memory() lifts it for the fork so the child
//   has that memory, and puts it back in the parent.
// - spawnp(): a child that runs only the C code below between its birth and the exec (vfork-like,
//   no copy of the parent's memory), with the actions of posix_spawn and exec errors reported to
//   the parent.
// Both give the new program what a shell gives it (exec_reset()): fds 0-2 without FD_CLOEXEC or
// O_NONBLOCK, every signal at its default, an empty signal mask.
#pragma once
#include "errors.h"

#include <signal.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace sys {

// fork(2): 0 in the child, the child's pid in the parent, or -errno. Memory marked
// MADV_DONTFORK is absent in the child (see fork_keeping_memory).
long fork() noexcept;

// The address ranges of this process that carry MADV_DONTFORK (VmFlags "dc" in
// /proc/self/smaps), adjacent ones merged. Owns its array; not copyable.
class DontforkRanges {
 public:
  struct Range {
    std::uintptr_t start, end;
  };
  DontforkRanges() noexcept = default;
  ~DontforkRanges();
  DontforkRanges(const DontforkRanges&) = delete;
  DontforkRanges& operator=(const DontforkRanges&) = delete;

  // Reads /proc/self/smaps (or `smaps_path`, for tests): 0 or -errno. Replaces what it held.
  long collect(const char* smaps_path = "/proc/self/smaps") noexcept;
  // madvise(MADV_DOFORK) on every range: a fork copies them. Ranges unmapped since collect()
  // are skipped. Returns how many ranges the kernel accepted.
  std::size_t allow_fork() noexcept;
  // madvise(MADV_DONTFORK) on every range again: what allow_fork() lifted is lifted no longer.
  void restore() noexcept;

  std::size_t size() const noexcept { return size_; }
  const Range& operator[](std::size_t i) const noexcept { return data_[i]; }
  std::size_t bytes() const noexcept;

 private:
  bool add(std::uintptr_t start, std::uintptr_t end) noexcept;
  Range* data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
};

// madvise(MADV_DOFORK) on every private mapping listed in /proc/self/maps (or `maps_path`),
// adjacent ones in one call: a fork then copies all of this process's memory. Returns how many
// madvise calls were made, or -errno when the list cannot be read.
long allow_fork_everywhere(const char* maps_path = "/proc/self/maps") noexcept;

// Waits until every other thread of this process is asleep (neither running nor in an
// uninterruptible wait, per /proc/self/task/<tid>/stat), polling for at most `max_us`
// microseconds. Says whether they all were at once, after waiting, or not by the time limit.
// (Elsewhere than Linux: `already`, at once.)
enum class ThreadsAsleep { already, after_waiting, timed_out };
ThreadsAsleep wait_until_other_threads_sleep(long max_us) noexcept;

// fork(2) for a process whose memory may carry MADV_DONTFORK (Node's V8 heap): collects the
// ranges that carry it; then calls `before_fork(arg)` if given, makes all memory copyable and
// lets the other threads fall asleep (again, up to 3 rounds, while they had to be waited for);
// forks, and in the parent puts MADV_DONTFORK back on the collected ranges. The child has all of the
// parent's memory. 0 in the child, the pid in the parent, or -errno (nothing changed). `ranges`,
// if given, gets how many MADV_DONTFORK ranges were put back.
long fork_keeping_memory(void (*before_fork)(void*) = nullptr, void* arg = nullptr,
                         std::size_t* ranges = nullptr) noexcept;

// True when the calling thread is the process's main thread (its tid is the pid): the only
// thread a forked child of a multi-threaded runtime can carry on from.
bool is_main_thread() noexcept;

// _exit(2): ends the process at once, flushing nothing, running no atexit handler.
[[noreturn]] void exit_now(int status) noexcept;

// waitpid(2): the pid reported (0 with WNOHANG and nothing to report) or -errno; `*status` gets
// the raw status word.
long waitpid(pid_t pid, int* status, int options, Eintr eintr = Eintr::retry) noexcept;

// A wait status word taken apart with the W* macros.
struct WaitStatus {
  enum Kind : int { exited = 0, signaled = 1, stopped = 2, continued = 3, unknown = 4 };
  Kind kind;
  int value;         // exit code, or the signal number (signaled, stopped)
  bool core_dumped;  // signaled only
};
WaitStatus decode_status(int status) noexcept;

long getpid() noexcept;
long getppid() noexcept;
// kill(2): 0 or -errno.
long kill(pid_t pid, int sig) noexcept;

// What exec_reset() changed, so that a failed exec can put it all back.
struct ExecSaved {
  sigset_t mask;                    // the calling thread's signal mask
  struct sigaction actions[NSIG];   // every disposition (valid where `had[sig]`)
  bool had[NSIG];
  int fd_flags[3];                  // F_GETFD of fds 0-2, -1 where not open
  int status_flags[3];              // F_GETFL of fds 0-2
};

// Puts back what a runtime like Node changes and a shell does not: fds 0-2 lose FD_CLOEXEC and
// O_NONBLOCK, every signal goes back to SIG_DFL, the signal mask empties (last, so that pending
// signals arrive with their default action). With `saved`, records the previous state first.
void exec_reset(ExecSaved* saved) noexcept;
// Undoes exec_reset(saved).
void exec_restore(const ExecSaved& saved) noexcept;

// execvp(3) that gives the new program what a shell would (exec_reset). Returns only on failure:
// -errno, with this process left exactly as it was (dispositions, mask, fd flags).
long execvp(const char* file, char* const argv[]) noexcept;

// The actions of posix_spawnp(), applied in the child in this order before the exec.
struct SpawnActions {
  const int* dup2 = nullptr;  // pairs: from, to, from, to...
  std::size_t dup2_pairs = 0;
  const int* close = nullptr;
  std::size_t close_count = 0;
  const char* chdir = nullptr;  // null: stay
  bool setsid = false;
  char* const* envp = nullptr;  // null: this process's environment
};

// Which step of spawnp() failed: where the errno it returns comes from.
struct SpawnFailure {
  enum Step : int { none = 0, exec = 1, dup2 = 2, close = 3, chdir = 4, setsid = 5, start = 6 };
  Step step = none;
  int index = -1;  // which dup2 pair or close entry
};

// posix_spawnp(3) with a C child: starts `file` (searched in PATH, as execvp does) with `argv`
// after `actions` and exec_reset(). No code of the caller runs in the child and its memory is not
// copied (the child shares it until the exec, as with vfork). Returns the pid, or -errno when the
// child could not be started or failed before or in the exec (reported through a CLOEXEC pipe;
// the failed child is reaped); `failure` says which step.
long spawnp(const char* file, char* const argv[], const SpawnActions& actions,
            SpawnFailure* failure = nullptr) noexcept;

}  // namespace sys
