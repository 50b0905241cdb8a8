// An owned POSIX file descriptor, for code that needs a descriptor of its
// own beside Env (an flock held while it waits, fstat of the very file it
// reads). Header-only; not thread-safe (one owner).
#ifndef BESCHEID_ENV_SCOPED_FD_H_
#define BESCHEID_ENV_SCOPED_FD_H_

#include <unistd.h>

namespace bescheid {

// Closes the descriptor (if >= 0) when it goes. Non-copyable.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;

  // The descriptor, -1 when the open failed (errno tells why).
  int get() const { return fd_; }
  // Gives the descriptor up without closing it (to close it with a check).
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

}  // namespace bescheid

#endif  // BESCHEID_ENV_SCOPED_FD_H_
