// Per-env state of the addon: one per main thread and one per worker thread, kept as the env's
// instance data (Node-API allows one such pointer per addon and env). A topic that needs per-env
// state adds a member here; module.cc creates the Instance before it registers the topics.
#pragma once
#include <node_api.h>

namespace napi_glue {

namespace wait {
struct Registry;
}

struct Instance {
  wait::Registry* wait = nullptr;  // posix-ipc/promises (wait.cc); freed by its own cleanup hook
};

// Creates this env's Instance; module.cc calls it once per env.
inline Instance* create_instance(napi_env env) noexcept {
  auto* inst = new Instance();
  napi_set_instance_data(env, inst, [](napi_env, void* data, void*) { delete static_cast<Instance*>(data); }, nullptr);
  return inst;
}

// This env's Instance.
inline Instance* instance(napi_env env) noexcept {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return static_cast<Instance*>(data);
}

}  // namespace napi_glue
