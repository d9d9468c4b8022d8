// native/sys processes without Node: fork/_exit/waitpid, the MADV_DONTFORK handling of
// fork_keeping_memory, execvp's resets and their undoing, and spawnp.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <cstring>
#include <string>

#include "check.h"
#include "sys/io.h"
#include "sys/pipe.h"
#include "sys/process.h"

namespace {

sys::WaitStatus wait_for(long pid) {
  int status = 0;
  CHECK_EQ(sys::waitpid(static_cast<pid_t>(pid), &status, 0), pid);
  return sys::decode_status(status);
}

// Waits for pid, which must have exited, and returns its exit code.
int wait_exit_code(long pid) {
  sys::WaitStatus w = wait_for(pid);
  CHECK_EQ(w.kind, sys::WaitStatus::exited);
  return w.value;
}

// Waits for pid, which must have died of a signal, and returns the signal.
int wait_signal(long pid) {
  sys::WaitStatus w = wait_for(pid);
  CHECK_EQ(w.kind, sys::WaitStatus::signaled);
  return w.value;
}

// Everything readable from fd until end of file.
std::string drain(int fd) {
  std::string out;
  char buf[4096];
  for (long n; (n = sys::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

int count_open_fds() {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++) n += ::fcntl(fd, F_GETFD) >= 0;
  return n;
}

void on_signal(int) {}

bool range_is_dontfork(const sys::DontforkRanges& r, void* p, std::size_t len) {
  auto a = reinterpret_cast<std::uintptr_t>(p);
  for (std::size_t i = 0; i < r.size(); i++) {
    if (r[i].start <= a && a + len <= r[i].end) return true;
  }
  return false;
}

}  // namespace

TEST(fork_exit_waitpid) {
  long pid = sys::fork();
  CHECK(pid >= 0);
  if (pid == 0) sys::exit_now(7);
  CHECK_EQ(wait_exit_code(pid), 7);
  // _exit keeps the low 8 bits only
  pid = sys::fork();
  if (pid == 0) sys::exit_now(256 + 3);
  CHECK_EQ(wait_exit_code(pid), 3);
}

TEST(waitpid_reports_signals_stops_and_wnohang) {
  long pid = sys::fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    for (;;) ::pause();
  }
  int status = 0;
  CHECK_EQ(sys::waitpid(static_cast<pid_t>(pid), &status, WNOHANG), 0);  // running: nothing yet
  CHECK_EQ(sys::kill(static_cast<pid_t>(pid), SIGSTOP), 0);
  CHECK_EQ(sys::waitpid(static_cast<pid_t>(pid), &status, WUNTRACED), pid);
  sys::WaitStatus w = sys::decode_status(status);
  CHECK_EQ(w.kind, sys::WaitStatus::stopped);
  CHECK_EQ(w.value, SIGSTOP);
  CHECK_EQ(sys::kill(static_cast<pid_t>(pid), SIGCONT), 0);
  CHECK_EQ(sys::waitpid(static_cast<pid_t>(pid), &status, WCONTINUED), pid);
  CHECK_EQ(sys::decode_status(status).kind, sys::WaitStatus::continued);
  CHECK_EQ(sys::kill(static_cast<pid_t>(pid), SIGKILL), 0);
  CHECK_EQ(sys::waitpid(static_cast<pid_t>(pid), &status, 0), pid);
  w = sys::decode_status(status);
  CHECK_EQ(w.kind, sys::WaitStatus::signaled);
  CHECK_EQ(w.value, SIGKILL);
  CHECK(!w.core_dumped);
  CHECK_EQ(sys::kill(static_cast<pid_t>(pid), 0), -ESRCH);  // reaped: gone
  CHECK_EQ(sys::kill(static_cast<pid_t>(sys::getpid()), 999), -EINVAL);
}

TEST(waitpid_without_children_is_echild) {
  long pid = sys::fork();
  if (pid == 0) {  // a fresh process: no children of its own
    int status;
    sys::exit_now(sys::waitpid(-1, &status, 0) == -ECHILD ? 0 : 1);
  }
  CHECK_EQ(wait_exit_code(pid), 0);
  int status;
  CHECK_EQ(sys::waitpid(-1, &status, 0), -ECHILD);  // and this one has none left
  CHECK_EQ(sys::waitpid(-1, &status, 0x100), -EINVAL);
}

TEST(getpid_getppid) {
  long me = sys::getpid();
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  long pid = sys::fork();
  if (pid == 0) {
    long ids[2] = {sys::getpid(), sys::getppid()};
    sys::write(fds[1], ids, sizeof ids);
    sys::exit_now(0);
  }
  long ids[2];
  CHECK_EQ(sys::read(fds[0], ids, sizeof ids), static_cast<long>(sizeof ids));
  CHECK_EQ(ids[0], pid);
  CHECK_EQ(ids[1], me);
  CHECK_EQ(wait_exit_code(pid), 0);
  sys::close(fds[0]);
  sys::close(fds[1]);
}

TEST(smaps_parser_reads_dc_and_skips_field_lines) {
  // Field names that start with hex digits ("Anonymous", "FilePmdMapped") must not be taken for
  // the "start-end" of a mapping.
  char path[] = "/tmp/posix-ipc-smaps-XXXXXX";
  int fd = ::mkstemp(path);
  CHECK(fd >= 0);
  const char text[] =
      "1000-3000 rw-p 00000000 00:00 0 \n"
      "Size:                  8 kB\n"
      "Anonymous:             8 kB\n"
      "FilePmdMapped:         0 kB\n"
      "VmFlags: rd wr mr mw me dc ac sd \n"
      "3000-4000 ---p 00000000 00:00 0 \n"
      "Anonymous:             0 kB\n"
      "VmFlags: rd mr mw me dc\n"
      "a000-b000 r-xp 00000000 fe:00 42      /usr/lib/libdc.so\n"
      "Anonymous:             0 kB\n"
      "VmFlags: rd ex mr mw me dcx sd \n"
      "c000-d000 rw-p 00000000 00:00 0 \n"
      "VmFlags: rd wr mr mw me ac\n";
  CHECK_EQ(sys::write(fd, text, sizeof text - 1), static_cast<long>(sizeof text - 1));
  sys::close(fd);
  sys::DontforkRanges r;
  CHECK_EQ(r.collect(path), 0);
  CHECK_EQ(r.size(), 1);  // 1000-3000 and 3000-4000 merged; "dcx" is not "dc"
  CHECK_EQ(r[0].start, 0x1000);
  CHECK_EQ(r[0].end, 0x4000);
  CHECK_EQ(r.bytes(), 0x3000);
  ::unlink(path);
  CHECK_EQ(r.collect("/nonexistent/smaps"), -ENOENT);
  CHECK_EQ(r.size(), 0);
}

TEST(dontfork_memory_is_missing_in_a_plain_fork_and_kept_by_fork_keeping_memory) {
  const std::size_t len = 4 * 4096;
  auto* mem = static_cast<volatile char*>(::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  CHECK(mem != MAP_FAILED);
  mem[0] = 42;
  mem[len - 1] = 43;
  CHECK_EQ(::madvise(const_cast<char*>(mem), len, MADV_DONTFORK), 0);

  sys::DontforkRanges r;
  CHECK_EQ(r.collect(), 0);
  CHECK(range_is_dontfork(r, const_cast<char*>(mem), len));

  // A plain fork: the child has no such memory and dies on touching it (as Node's children did).
  long pid = sys::fork();
  if (pid == 0) {
    ::signal(SIGSEGV, SIG_DFL);  // a sanitizer's handler would turn the signal into exit(1)
    sys::exit_now(mem[0]);
  }
  CHECK_EQ(wait_signal(pid), SIGSEGV);

  // fork_keeping_memory: the child reads it ...
  std::size_t lifted = 0;
  pid = sys::fork_keeping_memory(nullptr, nullptr, &lifted);
  CHECK(pid >= 0);
  if (pid == 0) sys::exit_now(mem[0] + mem[len - 1]);
  CHECK(lifted >= 1);
  CHECK_EQ(wait_exit_code(pid), 85);
  // ... and the parent has its MADV_DONTFORK back.
  CHECK_EQ(r.collect(), 0);
  CHECK(range_is_dontfork(r, const_cast<char*>(mem), len));
  pid = sys::fork();
  if (pid == 0) {
    ::signal(SIGSEGV, SIG_DFL);
    sys::exit_now(mem[0]);
  }
  CHECK_EQ(wait_signal(pid), SIGSEGV);
  ::munmap(const_cast<char*>(mem), len);
}

// A hook that maps new MADV_DONTFORK memory right before the fork (as a GC in Node may).
volatile char* hook_mem = nullptr;
int hook_calls = 0;
void map_in_hook(void*) {
  hook_calls++;
  hook_mem = static_cast<volatile char*>(::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  hook_mem[0] = 9;
  ::madvise(const_cast<char*>(hook_mem), 4096, MADV_DONTFORK);
}

TEST(fork_keeping_memory_calls_the_hook_and_copies_what_it_mapped) {
  long pid = sys::fork_keeping_memory(map_in_hook, nullptr);
  CHECK(pid >= 0);
  if (pid == 0) sys::exit_now(hook_mem[0]);
  CHECK_EQ(hook_calls, 1);
  CHECK_EQ(wait_exit_code(pid), 9);
  ::munmap(const_cast<char*>(hook_mem), 4096);
  CHECK(sys::allow_fork_everywhere() > 0);
  CHECK_EQ(sys::allow_fork_everywhere("/nonexistent/maps"), -ENOENT);
}

TEST(waits_for_other_threads_to_sleep) {
  CHECK(sys::wait_until_other_threads_sleep(1000) == sys::ThreadsAsleep::already);  // none
  std::atomic<bool> stop{false};
  std::thread spinner([&] {
    while (!stop.load()) {
    }
  });
  CHECK(sys::wait_until_other_threads_sleep(20 * 1000) == sys::ThreadsAsleep::timed_out);
  stop = true;
  spinner.join();
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  std::thread sleeper([&] {
    char c;
    sys::read(fds[0], &c, 1);  // asleep until the main thread writes
  });
  sys::ThreadSnapshot before, again, after;
  sys::ThreadsAsleep got = sys::wait_until_other_threads_sleep(5 * 1000 * 1000, &before);
  CHECK(got == sys::ThreadsAsleep::already || got == sys::ThreadsAsleep::after_waiting);
  CHECK_EQ(before.count, 1);
  CHECK(again.take());
  CHECK(before.same_as(again));  // it slept all along
  CHECK_EQ(sys::write(fds[1], "x", 1), 1);
  sleeper.join();
  after.take();
  CHECK(!before.same_as(after));  // it ran (and ended)
  sys::close(fds[0]);
  sys::close(fds[1]);
}

std::atomic<bool> spinner_stop{false};

void* spin(void*) {
  while (!spinner_stop.load()) {
  }
  return nullptr;
}

TEST(fork_keeping_memory_with_a_thread_that_never_sleeps) {
  // The clean moment never comes: after its tries the fork goes ahead, and the child works.
  // A plain pthread, not std::thread: std::thread puts its state on the heap, owned by the thread,
  // and in the child (where that thread does not exist) valgrind's leak check would call it lost.
  pthread_t spinner;
  CHECK_EQ(pthread_create(&spinner, nullptr, spin, nullptr), 0);
  long pid = sys::fork_keeping_memory();
  if (pid == 0) sys::exit_now(5);
  spinner_stop = true;
  pthread_join(spinner, nullptr);
  CHECK_EQ(wait_exit_code(pid), 5);
  int status;
  CHECK_EQ(sys::waitpid(-1, &status, WNOHANG), -ECHILD);  // the refused children were reaped
}

TEST(execvp_gives_a_shell_like_start) {
  // The child makes itself look like Node (SIGPIPE ignored, a handler, SIGTERM blocked, fd 1
  // FD_CLOEXEC and O_NONBLOCK), then execs a shell that reports what it got on fd 1.
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  long pid = sys::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    ::signal(SIGPIPE, SIG_IGN);
    ::signal(SIGUSR2, on_signal);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &set, nullptr);
    ::fcntl(1, F_SETFD, FD_CLOEXEC);
    ::fcntl(1, F_SETFL, ::fcntl(1, F_GETFL) | O_NONBLOCK);
    char* const argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"),
                          const_cast<char*>("grep -E '^Sig(Blk|Ign|Cgt)' /proc/self/status; grep '^flags' /proc/self/fdinfo/1"),
                          nullptr};
    sys::execvp("sh", argv);
    sys::exit_now(127);
  }
  sys::close(fds[1]);
  std::string out = drain(fds[0]);
  sys::close(fds[0]);
  CHECK_EQ(wait_exit_code(pid), 0);
  CHECK(out.find("SigBlk:\t0000000000000000\n") != std::string::npos);
  CHECK(out.find("SigIgn:\t0000000000000000\n") != std::string::npos);
  std::size_t f = out.find("flags:\t");
  CHECK(f != std::string::npos);
  long flags = std::strtol(out.c_str() + f + 7, nullptr, 8);
  CHECK_EQ(flags & O_NONBLOCK, 0);
}

TEST(execvp_failure_restores_everything) {
  long pid = sys::fork();
  if (pid == 0) {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGUSR1, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    sigset_t set, now;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &set, nullptr);
    int fds[2];
    sys::pipe(fds);
    ::dup2(fds[1], 2);
    ::fcntl(2, F_SETFD, FD_CLOEXEC);
    ::fcntl(2, F_SETFL, O_NONBLOCK);
    char* const argv[] = {const_cast<char*>("nope"), nullptr};
    int fail = 0;
    if (sys::execvp("/nonexistent/posix-ipc-test", argv) != -ENOENT) fail |= 1;
    struct sigaction got;
    ::sigaction(SIGUSR1, nullptr, &got);
    if (got.sa_handler != on_signal || !(got.sa_flags & SA_RESTART)) fail |= 2;
    ::sigaction(SIGPIPE, nullptr, &got);
    if (got.sa_handler != SIG_IGN) fail |= 4;
    ::sigprocmask(SIG_BLOCK, nullptr, &now);
    if (!sigismember(&now, SIGTERM) || sigismember(&now, SIGINT)) fail |= 8;
    if (::fcntl(2, F_GETFD) != FD_CLOEXEC) fail |= 16;
    if (!(::fcntl(2, F_GETFL) & O_NONBLOCK)) fail |= 32;
    sys::exit_now(fail);
  }
  CHECK_EQ(wait_exit_code(pid), 0);
}

TEST(spawnp_runs_a_program_with_dup2_and_close) {
  int before = count_open_fds();
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  char* const argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"), const_cast<char*>("echo out; echo err >&2"), nullptr};
  int dup2s[] = {fds[1], 1, fds[1], 2};
  int closes[] = {fds[0], fds[1]};
  sys::SpawnActions a;
  a.dup2 = dup2s;
  a.dup2_pairs = 2;
  a.close = closes;
  a.close_count = 2;
  sys::SpawnFailure failure;
  long pid = sys::spawnp("sh", argv, a, &failure);
  CHECK(pid > 0);
  CHECK_EQ(failure.step, sys::SpawnFailure::none);
  sys::close(fds[1]);
  std::string out = drain(fds[0]);
  sys::close(fds[0]);
  CHECK_EQ(wait_exit_code(pid), 0);
  CHECK(out == "out\nerr\n");
  CHECK_EQ(count_open_fds(), before);
}

TEST(spawnp_chdir_setsid_env) {
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  char* const argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"),
                        const_cast<char*>("pwd; echo \"$GREETING\"; read line"), nullptr};
  char* const envp[] = {const_cast<char*>("GREETING=hello"), const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
  int in[2];
  CHECK_EQ(sys::pipe(in), 0);
  int dup2s[] = {fds[1], 1, in[0], 0};
  int closes[] = {fds[0], fds[1], in[0], in[1]};
  sys::SpawnActions a;
  a.dup2 = dup2s;
  a.dup2_pairs = 2;
  a.close = closes;
  a.close_count = 4;
  a.chdir = "/tmp";
  a.setsid = true;
  a.envp = envp;
  long pid = sys::spawnp("sh", argv, a);
  CHECK(pid > 0);
  sys::close(fds[1]);
  sys::close(in[0]);
  CHECK_EQ(::getsid(static_cast<pid_t>(pid)), pid);  // a session of its own (it waits on `read`)
  sys::close(in[1]);
  std::string out = drain(fds[0]);
  sys::close(fds[0]);
  CHECK_EQ(wait_exit_code(pid), 1);  // `read` hit end of file
  CHECK(out == "/tmp\nhello\n");
}

TEST(spawnp_reports_failures_in_the_parent) {
  int before = count_open_fds();
  char* const argv[] = {const_cast<char*>("x"), nullptr};
  sys::SpawnActions none;
  sys::SpawnFailure failure;
  CHECK_EQ(sys::spawnp("posix-ipc-no-such-program", argv, none, &failure), -ENOENT);
  CHECK_EQ(failure.step, sys::SpawnFailure::exec);
  CHECK_EQ(sys::spawnp("/etc/passwd", argv, none, &failure), -EACCES);
  CHECK_EQ(failure.step, sys::SpawnFailure::exec);

  int dup2s[] = {0, 5, 999, 1};
  sys::SpawnActions bad_dup2;
  bad_dup2.dup2 = dup2s;
  bad_dup2.dup2_pairs = 2;
  CHECK_EQ(sys::spawnp("true", argv, bad_dup2, &failure), -EBADF);
  CHECK_EQ(failure.step, sys::SpawnFailure::dup2);
  CHECK_EQ(failure.index, 1);

  sys::SpawnActions bad_dir;
  bad_dir.chdir = "/nonexistent/posix-ipc";
  CHECK_EQ(sys::spawnp("true", argv, bad_dir, &failure), -ENOENT);
  CHECK_EQ(failure.step, sys::SpawnFailure::chdir);

  int status;
  CHECK_EQ(sys::waitpid(-1, &status, WNOHANG), -ECHILD);  // every failed child was reaped
  CHECK_EQ(count_open_fds(), before);                     // and the error pipe closed
}

TEST(spawnp_keeps_its_error_pipe_clear_of_the_actions) {
  // The error pipe would take the lowest free descriptors; make the actions name exactly those.
  int low = ::dup(0);
  int next = ::dup(0);
  ::close(low);
  ::close(next);
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);  // takes low and next
  int spare = ::dup(fds[1]);
  sys::close(fds[0]);
  sys::close(fds[1]);
  int dup2s[] = {spare, low, spare, next};
  sys::SpawnActions a;
  a.dup2 = dup2s;
  a.dup2_pairs = 2;
  char* const argv[] = {const_cast<char*>("x"), nullptr};
  sys::SpawnFailure failure;
  CHECK_EQ(sys::spawnp("posix-ipc-no-such-program", argv, a, &failure), -ENOENT);
  CHECK_EQ(failure.step, sys::SpawnFailure::exec);
  int closes[] = {low, next};
  a.dup2_pairs = 0;
  a.close = closes;
  a.close_count = 2;
  CHECK_EQ(sys::spawnp("posix-ipc-no-such-program", argv, a, &failure), -ENOENT);
  sys::close(spare);
}

TEST(spawnp_child_has_default_signals) {
  // This process ignores SIGPIPE (as Node does); `yes` writing into a closed pipe must still die of it.
  ::signal(SIGPIPE, SIG_IGN);
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  int dup2s[] = {fds[1], 1};
  int closes[] = {fds[0], fds[1]};
  sys::SpawnActions a;
  a.dup2 = dup2s;
  a.dup2_pairs = 1;
  a.close = closes;
  a.close_count = 2;
  char* const argv[] = {const_cast<char*>("yes"), nullptr};
  long pid = sys::spawnp("yes", argv, a);
  CHECK(pid > 0);
  sys::close(fds[1]);
  char buf[16];
  CHECK(sys::read(fds[0], buf, sizeof buf) > 0);
  sys::close(fds[0]);
  CHECK_EQ(wait_signal(pid), SIGPIPE);
  ::signal(SIGPIPE, SIG_DFL);
}

TEST(is_main_thread) { CHECK(sys::is_main_thread()); }

int main() {
  RUN(fork_exit_waitpid);
  RUN(waitpid_reports_signals_stops_and_wnohang);
  RUN(waitpid_without_children_is_echild);
  RUN(getpid_getppid);
  RUN(smaps_parser_reads_dc_and_skips_field_lines);
  RUN(dontfork_memory_is_missing_in_a_plain_fork_and_kept_by_fork_keeping_memory);
  RUN(fork_keeping_memory_calls_the_hook_and_copies_what_it_mapped);
  RUN(waits_for_other_threads_to_sleep);
  RUN(fork_keeping_memory_with_a_thread_that_never_sleeps);
  RUN(execvp_gives_a_shell_like_start);
  RUN(execvp_failure_restores_everything);
  RUN(spawnp_runs_a_program_with_dup2_and_close);
  RUN(spawnp_chdir_setsid_env);
  RUN(spawnp_reports_failures_in_the_parent);
  RUN(spawnp_keeps_its_error_pipe_clear_of_the_actions);
  RUN(spawnp_child_has_default_signals);
  RUN(is_main_thread);
  return 0;
}
