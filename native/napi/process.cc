#include "sys/process.h"

#include <uv.h>

#include <cstring>

#include "args.h"
#include "process.h"
#include "register.h"
#include "strings.h"

namespace napi_glue {

void write_wait_status(napi_env env, napi_value out, int status) noexcept {
  Bytes o = to_bytes(env, out);
  if (o.size < 4 * sizeof(int32_t)) return;
  sys::WaitStatus w = sys::decode_status(status);
  auto* v = static_cast<int32_t*>(o.data);
  v[0] = status;
  v[1] = w.kind;
  v[2] = w.value;
  v[3] = w.core_dumped ? 1 : 0;
}

namespace {

// Calls the JS function given to fork() just before the fork: entering JavaScript makes V8 serve
// a pending interrupt, such as a garbage collection that V8's helper threads asked for, here in
// the parent. Left to the child, that collection would wait for helper threads it does not have.
struct BeforeFork {
  napi_env env;
  napi_value fn;
};

void CallBeforeFork(void* p) {
  auto* b = static_cast<BeforeFork*>(p);
  napi_valuetype t;
  if (napi_typeof(b->env, b->fn, &t) != napi_ok || t != napi_function) return;
  napi_value recv, result;
  napi_get_undefined(b->env, &recv);
  if (napi_call_function(b->env, recv, b->fn, 0, nullptr, &result) != napi_ok) {
    bool pending = false;  // the hook threw: drop it, the fork goes on
    napi_value e;
    if (napi_is_exception_pending(b->env, &pending) == napi_ok && pending) napi_get_and_clear_last_exception(b->env, &e);
  }
}

// fork(beforeFork) -> 0 in the child, the pid in the parent, or -errno (-ENOTSUP off the main
// thread). The V8 heap is MADV_DONTFORK: sys::fork_keeping_memory lifts that for the fork. The
// child gets a loop of its own (uv_loop_fork: a new epoll and wakeup fd), so that it can never
// take events or wakeups from the parent's loop through the descriptors they would otherwise share.
napi_value Fork(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) return from_long(env, -EINVAL);
  if (!sys::is_main_thread()) return from_long(env, -ENOTSUP);
  BeforeFork before{env, a[0]};
  long pid = sys::fork_keeping_memory(CallBeforeFork, &before);
  if (pid == 0 && uv_loop_fork(loop) != 0) {
    static const char msg[] = "posix-ipc: fork: uv_loop_fork failed in the child; it exits with 127\n";
    (void)!::write(2, msg, sizeof msg - 1);
    sys::exit_now(127);
  }
  return from_long(env, pid);
}

// _exit(status): never returns.
napi_value Exit(napi_env env, napi_callback_info info) {
  Args<1> a(env, info);
  sys::exit_now(to_i32(env, a[0], 0));
}

// waitpid(pid, options, out: Int32Array(4)) -> pid | 0 | -errno; out = [status, kind, value, core]
template <sys::Eintr E>
napi_value Waitpid(napi_env env, napi_callback_info info) {
  Args<3> a(env, info);
  int status = 0;
  long rc = sys::waitpid(to_i32(env, a[0]), &status, to_i32(env, a[1], 0), E);
  if (rc > 0) write_wait_status(env, a[2], status);
  return from_long(env, rc);
}

// execvp(file, argv) -> -errno (returns only on failure)
napi_value Execvp(napi_env env, napi_callback_info info) {
  Args<2> a(env, info);
  CString file(env, a[0]);
  CStringArray argv(env, a[1]);
  if (!file.ok() || !argv.ok()) return from_long(env, -EINVAL);
  return from_long(env, sys::execvp(file.get(), argv.get()));
}

// posix_spawnp(file, argv, dup2: Int32Array, close: Int32Array, chdir?: string, setsid: boolean,
//              env?: string[], out: Int32Array(2)) -> pid | -errno; out = [failed step, index]
napi_value Spawnp(napi_env env, napi_callback_info info) {
  Args<8> a(env, info);
  CString file(env, a[0]);
  CStringArray argv(env, a[1]);
  if (!file.ok() || !argv.ok()) return from_long(env, -EINVAL);
  Bytes dup2 = to_bytes(env, a[2]);
  Bytes close = to_bytes(env, a[3]);
  napi_valuetype t;
  napi_typeof(env, a[4], &t);
  CString dir(env, a[4]);
  if (t == napi_string && !dir.ok()) return from_long(env, -ENOMEM);
  bool setsid = false;
  napi_get_value_bool(env, a[5], &setsid);
  napi_typeof(env, a[6], &t);
  CStringArray envp(env, a[6]);
  if (t != napi_undefined && !envp.ok()) return from_long(env, -EINVAL);

  sys::SpawnActions actions;
  actions.dup2 = static_cast<const int*>(dup2.data);
  actions.dup2_pairs = dup2.size / (2 * sizeof(int));
  actions.close = static_cast<const int*>(close.data);
  actions.close_count = close.size / sizeof(int);
  actions.chdir = dir.ok() ? dir.get() : nullptr;
  actions.setsid = setsid;
  actions.envp = envp.ok() ? envp.get() : nullptr;
  sys::SpawnFailure failure;
  long rc = sys::spawnp(file.get(), argv.get(), actions, &failure);
  Bytes out = to_bytes(env, a[7]);
  if (out.size >= 2 * sizeof(int32_t)) {
    static_cast<int32_t*>(out.data)[0] = failure.step;
    static_cast<int32_t*>(out.data)[1] = failure.index;
  }
  return from_long(env, rc);
}

napi_value Getpid(napi_env env, napi_callback_info info) { return from_long(env, sys::getpid()); }
napi_value Getppid(napi_env env, napi_callback_info info) { return from_long(env, sys::getppid()); }

// kill(pid, sig) -> 0 | -errno
napi_value Kill(napi_env env, napi_callback_info info) {
  Args<2> a(env, info);
  int32_t pid, sig;
  // No fallback value here: pid 0 or -1 would signal a whole process group.
  if (napi_get_value_int32(env, a[0], &pid) != napi_ok || napi_get_value_int32(env, a[1], &sig) != napi_ok) {
    return from_long(env, -EINVAL);
  }
  return from_long(env, sys::kill(pid, sig));
}

}  // namespace

void register_process(napi_env env, napi_value exports, napi_value raw) {
  define(env, exports, "fork", Fork);
  define(env, raw, "fork", Fork);
  define(env, exports, "_exit", Exit);
  define(env, raw, "_exit", Exit);
  define(env, exports, "waitpid", Waitpid<sys::Eintr::retry>);
  define(env, raw, "waitpid", Waitpid<sys::Eintr::report>);
  define(env, exports, "execvp", Execvp);
  define(env, raw, "execvp", Execvp);
  define(env, exports, "posix_spawnp", Spawnp);
  define(env, raw, "posix_spawnp", Spawnp);
  define(env, exports, "getpid", Getpid);
  define(env, raw, "getpid", Getpid);
  define(env, exports, "getppid", Getppid);
  define(env, raw, "getppid", Getppid);
  define(env, exports, "kill", Kill);
  define(env, raw, "kill", Kill);
}

}  // namespace napi_glue
