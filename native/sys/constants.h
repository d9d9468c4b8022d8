// The platform's own values of the constants posix-ipc exports under their C names.
#pragma once
#include "errors.h"

namespace sys {

// Every constant the binding exports (O_NONBLOCK, PIPE_BUF, AF_UNIX, ...); where a name does not
// exist on this platform it is simply absent.
const Named* constant_table(std::size_t* count) noexcept;

}  // namespace sys
