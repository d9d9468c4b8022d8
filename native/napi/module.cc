// The addon's entry point: registers each topic's calls and exports the constant tables.
// Layout of the exports object (read by lib/native.ts):
//   exports.<call>      calls that restart on EINTR (posix-ipc)
//   exports.raw.<call>  calls that report EINTR (posix-ipc/raw)
//   exports.promises    posix-ipc/promises' calls and machinery (wait.h)
//   exports.constants   { O_NONBLOCK: 2048, ... }  the platform's values under their C names
//   exports.errnos      { EPERM: 1, ... }          every errno name this platform has
//   exports.strerror(n) the system's text for an errno value
#include <napi.h>

#include "instance.h"
#include "register.h"
#include "wait.h"
#include "sys/constants.h"
#include "sys/errors.h"

namespace {

Napi::Object Table(Napi::Env env, const sys::Named* table, std::size_t count) {
  Napi::Object o = Napi::Object::New(env);
  for (std::size_t i = 0; i < count; i++) {
    if (!o.Has(table[i].name)) o.Set(table[i].name, Napi::Number::New(env, static_cast<double>(table[i].value)));
  }
  return o;
}

Napi::Value Strerror(const Napi::CallbackInfo& info) {
  char buf[256];
  int n = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 0;
  return Napi::String::New(info.Env(), sys::error_text(n, buf, sizeof buf));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  napi_glue::create_instance(env);
  napi_glue::wait::register_wait(env, exports);
  Napi::Object raw = Napi::Object::New(env);
  napi_glue::register_io(env, exports, raw);
  napi_glue::register_pipe(env, exports, raw);
  napi_glue::register_fds(env, exports, raw);
  napi_glue::register_socket(env, exports, raw);
  napi_glue::register_address(env, exports, raw);
  napi_glue::register_poll(env, exports, raw);
  napi_glue::register_promises(env, exports, raw);
  napi_glue::register_process(env, exports, raw);
  napi_glue::register_fifo(env, exports, raw);
  napi_glue::register_redirect(env, exports, raw);
  exports.Set("raw", raw);

  std::size_t n = 0;
  const sys::Named* t = sys::constant_table(&n);
  exports.Set("constants", Table(env, t, n));
  t = sys::errno_table(&n);
  exports.Set("errnos", Table(env, t, n));
  exports.Set("strerror", Napi::Function::New(env, Strerror, "strerror"));
  return exports;
}

}  // namespace

NODE_API_MODULE(posix_ipc, Init)
