// Plain asserts for the native suite: unlike assert(3), they stay on in Release builds, and they
// print both sides of a failed comparison.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <cstring>

#define CHECK(cond)                                                             \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                             \
    }                                                                           \
  } while (0)

#define CHECK_EQ(a, b)                                                          \
  do {                                                                          \
    long long va_ = static_cast<long long>(a), vb_ = static_cast<long long>(b); \
    if (va_ != vb_) {                                                           \
      std::fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld vs %lld)\n", \
                   __FILE__, __LINE__, #a, #b, va_, vb_);                       \
      std::abort();                                                             \
    }                                                                           \
  } while (0)

// Each test is a function; main runs them in order and prints one line each.
#define TEST(name) static void name()
#define RUN(name)                                \
  do {                                           \
    name();                                      \
    std::printf("ok %s\n", #name);               \
    std::fflush(stdout);                         \
  } while (0)
