// JS strings as C strings for the calls that take paths and argument vectors (open, mkfifo,
// execvp, posix_spawnp). The TypeScript layer has checked that they are strings without NUL
// bytes; here a value that is not a string simply gives no C string (ok() false), never a crash.
#pragma once
#include <node_api.h>

#include <cstddef>
#include <cstdlib>

namespace napi_glue {

// One string, NUL-terminated UTF-8: in an inline buffer when short, on the heap otherwise (a path
// longer than PATH_MAX must reach the kernel whole, to get its ENAMETOOLONG).
class CString {
 public:
  CString(napi_env env, napi_value v) noexcept {
    std::size_t len = 0;
    if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) return;
    char* dst = small_;
    if (len >= sizeof small_) {
      heap_ = static_cast<char*>(std::malloc(len + 1));
      if (heap_ == nullptr) return;
      dst = heap_;
    }
    if (napi_get_value_string_utf8(env, v, dst, len + 1, &len) != napi_ok) return;
    str_ = dst;
  }
  ~CString() { std::free(heap_); }
  CString(const CString&) = delete;
  CString& operator=(const CString&) = delete;

  bool ok() const noexcept { return str_ != nullptr; }
  const char* get() const noexcept { return str_; }

 private:
  char small_[256];
  char* heap_ = nullptr;
  const char* str_ = nullptr;
};

// An array of strings as a NULL-terminated `char*` vector (argv, envp), in one allocation.
// ok() is false when the value is not an array of strings or memory ran out.
class CStringArray {
 public:
  CStringArray(napi_env env, napi_value v) noexcept {
    bool is_array = false;
    uint32_t n = 0;
    if (napi_is_array(env, v, &is_array) != napi_ok || !is_array) return;
    if (napi_get_array_length(env, v, &n) != napi_ok) return;
    // Pass 1: the UTF-8 length of each string; pass 2: copy them behind the pointer vector.
    std::size_t* lens = static_cast<std::size_t*>(std::malloc((n + 1) * sizeof(std::size_t)));
    if (lens == nullptr) return;
    std::size_t total = 0;
    bool good = true;
    for (uint32_t i = 0; i < n && good; i++) {
      napi_value s;
      good = napi_get_element(env, v, i, &s) == napi_ok &&
             napi_get_value_string_utf8(env, s, nullptr, 0, &lens[i]) == napi_ok;
      total += lens[i] + 1;
    }
    if (good) {
      block_ = static_cast<char**>(std::malloc((n + 1) * sizeof(char*) + total));
      good = block_ != nullptr;
    }
    char* text = good ? reinterpret_cast<char*>(block_ + n + 1) : nullptr;
    for (uint32_t i = 0; i < n && good; i++) {
      napi_value s;
      std::size_t copied = 0;
      good = napi_get_element(env, v, i, &s) == napi_ok &&
             napi_get_value_string_utf8(env, s, text, lens[i] + 1, &copied) == napi_ok && copied == lens[i];
      block_[i] = text;
      text += lens[i] + 1;
    }
    std::free(lens);
    if (!good) {
      std::free(block_);
      block_ = nullptr;
      return;
    }
    block_[n] = nullptr;
    size_ = n;
  }
  ~CStringArray() { std::free(block_); }
  CStringArray(const CStringArray&) = delete;
  CStringArray& operator=(const CStringArray&) = delete;

  bool ok() const noexcept { return block_ != nullptr; }
  char* const* get() const noexcept { return block_; }
  std::size_t size() const noexcept { return size_; }

 private:
  char** block_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace napi_glue
